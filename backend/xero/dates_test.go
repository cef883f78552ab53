package xero

import (
	"testing"
	"time"
)

func TestParseMSDate(t *testing.T) {
	base := time.UnixMilli(1503348544227).UTC()
	cases := []struct {
		in      string
		want    time.Time
		offset  int // seconds east of UTC of the returned zone
		wantErr bool
	}{
		{in: "/Date(1503348544227+0000)/", want: base},
		{in: "/Date(1503348544227)/", want: base},
		{in: `\/Date(1503348544227)\/`, want: base},
		{in: "/Date(1503348544227+1300)/", want: base, offset: 13 * 3600},
		{in: "/Date(1503348544227-0530)/", want: base, offset: -(5*3600 + 30*60)},
		{in: "/Date(0)/", want: time.Unix(0, 0).UTC()},
		{in: "/Date(-86400000)/", want: time.Unix(-86400, 0).UTC()},
		{in: "/Date(-86400000+1000)/", want: time.Unix(-86400, 0).UTC(), offset: 10 * 3600},
		{in: " /Date(1503348544227+0000)/ ", want: base},
		{in: "2017-08-21T20:49:04", wantErr: true},
		{in: "/Date()/", wantErr: true},
		{in: "/Date(abc)/", wantErr: true},
		{in: "/Date(1503348544227+13)/", wantErr: true},
		{in: "/Date(1503348544227+2500)/", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tc := range cases {
		got, err := ParseMSDate(tc.in)
		if tc.wantErr {
			if err == nil {
				t.Errorf("ParseMSDate(%q) = %v, want error", tc.in, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseMSDate(%q): %v", tc.in, err)
			continue
		}
		if !got.Equal(tc.want) {
			t.Errorf("ParseMSDate(%q) = %v, want instant %v", tc.in, got, tc.want)
		}
		if _, off := got.Zone(); off != tc.offset {
			t.Errorf("ParseMSDate(%q) zone offset %d, want %d", tc.in, off, tc.offset)
		}
	}
}

func TestParseFilesTime(t *testing.T) {
	cases := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{in: "2021-02-10T16:02:54.9930000", want: time.Date(2021, 2, 10, 16, 2, 54, 993000000, time.UTC)},
		{in: "2021-02-10T16:02:54.9930001", want: time.Date(2021, 2, 10, 16, 2, 54, 993000100, time.UTC)},
		{in: "2020-12-10T01:22:00.0000000", want: time.Date(2020, 12, 10, 1, 22, 0, 0, time.UTC)},
		{in: "2020-12-10T01:22:00", want: time.Date(2020, 12, 10, 1, 22, 0, 0, time.UTC)},
		{in: "2021-02-10T16:02:54Z", want: time.Date(2021, 2, 10, 16, 2, 54, 0, time.UTC)},
		{in: "2021-02-11T05:02:54.5+13:00", want: time.Date(2021, 2, 10, 16, 2, 54, 500000000, time.UTC)},
		{in: "10/02/2021", wantErr: true},
		{in: "/Date(1503348544227)/", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tc := range cases {
		got, err := ParseFilesTime(tc.in)
		if tc.wantErr != (err != nil) {
			t.Errorf("ParseFilesTime(%q) = %v, %v", tc.in, got, err)
			continue
		}
		if !tc.wantErr && !got.Equal(tc.want) {
			t.Errorf("ParseFilesTime(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if got, _ := ParseFilesTime("2021-02-10T16:02:54.9930000"); got.Location() != time.UTC {
		t.Errorf("zone-less Files time not UTC: %v", got.Location())
	}
}

func TestParseTimeEitherForm(t *testing.T) {
	a, err1 := ParseTime("/Date(1613001774993+0000)/")
	b, err2 := ParseTime("2021-02-11T00:02:54.9930000")
	if err1 != nil || err2 != nil || !a.Equal(b) {
		t.Fatalf("%v %v %v %v", a, err1, b, err2)
	}
}

func TestIfModifiedSinceFormat(t *testing.T) {
	nz := time.FixedZone("NZDT", 13*3600)
	got := ifModifiedSince(time.Date(2024, 1, 2, 13, 4, 5, 999_000_000, nz))
	if got != "2024-01-02T00:04:05Z" {
		t.Fatalf("got %q", got)
	}
}
