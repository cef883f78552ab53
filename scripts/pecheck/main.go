// Command pecheck checks that Windows executables are valid PE files carrying a version:
// it parses each file's PE headers (debug/pe) and reads the ProductVersion string from the
// version resource (VS_VERSIONINFO) in its .rsrc section. Used by scripts/test-dist.sh.
//
//	go run ./scripts/pecheck -version 0.9.0 chase.exe installer.exe
package main

import (
	"bytes"
	"debug/pe"
	"errors"
	"flag"
	"fmt"
	"os"
	"unicode/utf16"
)

func main() {
	want := flag.String("version", "", "the ProductVersion each file must carry")
	flag.Parse()
	if *want == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: pecheck -version X FILE...")
		os.Exit(2)
	}
	failed := 0
	for _, path := range flag.Args() {
		got, machine, err := productVersion(path)
		switch {
		case err != nil:
			fmt.Printf("pecheck: FAIL %s: %v\n", path, err)
			failed++
		case got != *want:
			fmt.Printf("pecheck: FAIL %s: ProductVersion %q, want %q\n", path, got, *want)
			failed++
		default:
			fmt.Printf("pecheck: ok %s: PE %s, ProductVersion %s\n", path, machine, got)
		}
	}
	if failed > 0 {
		os.Exit(1)
	}
}

// productVersion opens path as a PE file and returns its ProductVersion and machine type.
func productVersion(path string) (version, machine string, err error) {
	f, err := pe.Open(path)
	if err != nil {
		return "", "", fmt.Errorf("not a PE file: %w", err)
	}
	defer f.Close()
	switch f.Machine {
	case pe.IMAGE_FILE_MACHINE_AMD64:
		machine = "x86-64"
	case pe.IMAGE_FILE_MACHINE_I386:
		machine = "i386"
	default:
		return "", "", fmt.Errorf("unexpected machine %#x", f.Machine)
	}
	rsrc := f.Section(".rsrc")
	if rsrc == nil {
		return "", machine, errors.New("no .rsrc section (no version resource)")
	}
	data, err := rsrc.Data()
	if err != nil {
		return "", machine, fmt.Errorf("read .rsrc: %w", err)
	}
	v, ok := versionString(data, "ProductVersion")
	if !ok {
		return "", machine, errors.New("no ProductVersion in the version resource")
	}
	return v, machine, nil
}

// versionString finds a String entry of a StringFileInfo block: the key in UTF-16LE,
// NUL-terminated, padded to 32 bits, then the value as a NUL-terminated UTF-16LE string.
func versionString(rsrc []byte, key string) (string, bool) {
	if !bytes.Contains(rsrc, utf16le("VS_VERSION_INFO")) {
		return "", false
	}
	k := append(utf16le(key), 0, 0)
	i := bytes.Index(rsrc, k)
	if i < 0 {
		return "", false
	}
	i += len(k)
	for i%4 != 0 && i < len(rsrc) { // padding relative to the section start, as the resource is 4-aligned
		i++
	}
	var u []uint16
	for ; i+1 < len(rsrc); i += 2 {
		c := uint16(rsrc[i]) | uint16(rsrc[i+1])<<8
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u)), len(u) > 0
}

func utf16le(s string) []byte {
	var b []byte
	for _, c := range utf16.Encode([]rune(s)) {
		b = append(b, byte(c), byte(c>>8))
	}
	return b
}
