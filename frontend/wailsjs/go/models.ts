export namespace app {
	
	export class Info {
	    version: string;
	    mode: string;
	    demo: boolean;
	    sandboxUrl: string;
	    apiUrl: string;
	    dataDir: string;
	    databasePath: string;
	    schemaVersion: number;
	    os: string;
	    arch: string;
	    goVersion: string;
	    clientIdSet: boolean;
	    firstRun: boolean;
	    redirectUris: string[];
	
	    static createFrom(source: any = {}) {
	        return new Info(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.mode = source["mode"];
	        this.demo = source["demo"];
	        this.sandboxUrl = source["sandboxUrl"];
	        this.apiUrl = source["apiUrl"];
	        this.dataDir = source["dataDir"];
	        this.databasePath = source["databasePath"];
	        this.schemaVersion = source["schemaVersion"];
	        this.os = source["os"];
	        this.arch = source["arch"];
	        this.goVersion = source["goVersion"];
	        this.clientIdSet = source["clientIdSet"];
	        this.firstRun = source["firstRun"];
	        this.redirectUris = source["redirectUris"];
	    }
	}
	export class Preferences {
	    lastScreen: string;
	    xeroClientId: string;
	    onboarded: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Preferences(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.lastScreen = source["lastScreen"];
	        this.xeroClientId = source["xeroClientId"];
	        this.onboarded = source["onboarded"];
	    }
	}

}

