export namespace activity {
	
	export class Entry {
	    id: number;
	    // Go type: time
	    at: any;
	    kind: string;
	    who: string;
	    tenantId?: string;
	    contactId?: string;
	    client?: string;
	    subject?: string;
	    xeroId?: string;
	    detail?: string;
	
	    static createFrom(source: any = {}) {
	        return new Entry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.at = this.convertValues(source["at"], null);
	        this.kind = source["kind"];
	        this.who = source["who"];
	        this.tenantId = source["tenantId"];
	        this.contactId = source["contactId"];
	        this.client = source["client"];
	        this.subject = source["subject"];
	        this.xeroId = source["xeroId"];
	        this.detail = source["detail"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace app {
	
	export class ActivityKind {
	    kind: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new ActivityKind(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.label = source["label"];
	    }
	}
	export class AuthStatus {
	    running: boolean;
	    reason?: string;
	    reasonCode?: string;
	    demo: boolean;
	    state: string;
	    // Go type: time
	    accessExpiry: any;
	    // Go type: time
	    lastRefresh: any;
	    refreshes: number;
	    lastError?: string;
	    signingIn: boolean;
	    signInUrl?: string;
	    needsChoice: boolean;
	    orgs: core.TenantRef[];
	    practice?: core.TenantRef;
	    xpmRefused: boolean;
	
	    static createFrom(source: any = {}) {
	        return new AuthStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.reason = source["reason"];
	        this.reasonCode = source["reasonCode"];
	        this.demo = source["demo"];
	        this.state = source["state"];
	        this.accessExpiry = this.convertValues(source["accessExpiry"], null);
	        this.lastRefresh = this.convertValues(source["lastRefresh"], null);
	        this.refreshes = source["refreshes"];
	        this.lastError = source["lastError"];
	        this.signingIn = source["signingIn"];
	        this.signInUrl = source["signInUrl"];
	        this.needsChoice = source["needsChoice"];
	        this.orgs = this.convertValues(source["orgs"], core.TenantRef);
	        this.practice = this.convertValues(source["practice"], core.TenantRef);
	        this.xpmRefused = source["xpmRefused"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ChaseJob {
	    jobId: string;
	    jobName: string;
	    state: string;
	    // Go type: time
	    dueDate: any;
	    ageLabel: string;
	    dueLabel: string;
	
	    static createFrom(source: any = {}) {
	        return new ChaseJob(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.jobId = source["jobId"];
	        this.jobName = source["jobName"];
	        this.state = source["state"];
	        this.dueDate = this.convertValues(source["dueDate"], null);
	        this.ageLabel = source["ageLabel"];
	        this.dueLabel = source["dueLabel"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ChaseList {
	    rows: chase.Row[];
	    total: number;
	    clients: number;
	    overdue: number;
	    offset: number;
	    version: number;
	
	    static createFrom(source: any = {}) {
	        return new ChaseList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rows = this.convertValues(source["rows"], chase.Row);
	        this.total = source["total"];
	        this.clients = source["clients"];
	        this.overdue = source["overdue"];
	        this.offset = source["offset"];
	        this.version = source["version"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ChaseQuery {
	    sort: string;
	    desc: boolean;
	    text: string;
	    state: string;
	    overdueOnly: boolean;
	    noDocsOnly: boolean;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new ChaseQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sort = source["sort"];
	        this.desc = source["desc"];
	        this.text = source["text"];
	        this.state = source["state"];
	        this.overdueOnly = source["overdueOnly"];
	        this.noDocsOnly = source["noDocsOnly"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	export class ChaseStatus {
	    organisation: string;
	    practice: string;
	    xpm: boolean;
	    noAccess: boolean;
	    xpmRefused: boolean;
	    noPractice: boolean;
	    // Go type: time
	    lastSync: any;
	    lastError?: string;
	    stateSource: string;
	    states: number;
	    chaseStates: number;
	    guessed: boolean;
	    linksToReview: number;
	
	    static createFrom(source: any = {}) {
	        return new ChaseStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.organisation = source["organisation"];
	        this.practice = source["practice"];
	        this.xpm = source["xpm"];
	        this.noAccess = source["noAccess"];
	        this.xpmRefused = source["xpmRefused"];
	        this.noPractice = source["noPractice"];
	        this.lastSync = this.convertValues(source["lastSync"], null);
	        this.lastError = source["lastError"];
	        this.stateSource = source["stateSource"];
	        this.states = source["states"];
	        this.chaseStates = source["chaseStates"];
	        this.guessed = source["guessed"];
	        this.linksToReview = source["linksToReview"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ClientChase {
	    onList: boolean;
	    clientKey?: string;
	    marked: boolean;
	    jobs: ChaseJob[];
	    // Go type: time
	    lastChased: any;
	
	    static createFrom(source: any = {}) {
	        return new ClientChase(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.onList = source["onList"];
	        this.clientKey = source["clientKey"];
	        this.marked = source["marked"];
	        this.jobs = this.convertValues(source["jobs"], ChaseJob);
	        this.lastChased = this.convertValues(source["lastChased"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ClientChoice {
	    id: string;
	    name: string;
	    email?: string;
	    accountNumber?: string;
	
	    static createFrom(source: any = {}) {
	        return new ClientChoice(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.accountNumber = source["accountNumber"];
	    }
	}
	export class ClientFile {
	    fileId: string;
	    name: string;
	    size: number;
	    // Go type: time
	    created: any;
	    // Go type: time
	    associated: any;
	    objectType: string;
	    detailsKnown: boolean;
	    local?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ClientFile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.fileId = source["fileId"];
	        this.name = source["name"];
	        this.size = source["size"];
	        this.created = this.convertValues(source["created"], null);
	        this.associated = this.convertValues(source["associated"], null);
	        this.objectType = source["objectType"];
	        this.detailsKnown = source["detailsKnown"];
	        this.local = source["local"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ClientPage {
	    rows: store.ContactSummary[];
	    total: number;
	    offset: number;
	
	    static createFrom(source: any = {}) {
	        return new ClientPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rows = this.convertValues(source["rows"], store.ContactSummary);
	        this.total = source["total"];
	        this.offset = source["offset"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DesktopPrefs {
	    notifications: boolean;
	    startAtLogin: boolean;
	    startAtLoginSupported: boolean;
	    keepRunning: boolean;
	    os: string;
	
	    static createFrom(source: any = {}) {
	        return new DesktopPrefs(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.notifications = source["notifications"];
	        this.startAtLogin = source["startAtLogin"];
	        this.startAtLoginSupported = source["startAtLoginSupported"];
	        this.keepRunning = source["keepRunning"];
	        this.os = source["os"];
	    }
	}
	export class EmailTemplates {
	    default: chase.Template;
	    byState: Record<string, chase.Template>;
	    states: string[];
	
	    static createFrom(source: any = {}) {
	        return new EmailTemplates(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.default = this.convertValues(source["default"], chase.Template);
	        this.byState = this.convertValues(source["byState"], chase.Template, true);
	        this.states = source["states"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class FiledCount {
	    tenantId: string;
	    contactId: string;
	    client: string;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new FiledCount(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.tenantId = source["tenantId"];
	        this.contactId = source["contactId"];
	        this.client = source["client"];
	        this.count = source["count"];
	    }
	}
	export class FolderView {
	    id: number;
	    path: string;
	    tenantId: string;
	    organisation: string;
	    mode: string;
	    contactId?: string;
	    clientName?: string;
	    after: string;
	    paused: boolean;
	    state: string;
	    message?: string;
	    uploading: number;
	    review: number;
	    filedToday: number;
	    createdAt: string;
	
	    static createFrom(source: any = {}) {
	        return new FolderView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.path = source["path"];
	        this.tenantId = source["tenantId"];
	        this.organisation = source["organisation"];
	        this.mode = source["mode"];
	        this.contactId = source["contactId"];
	        this.clientName = source["clientName"];
	        this.after = source["after"];
	        this.paused = source["paused"];
	        this.state = source["state"];
	        this.message = source["message"];
	        this.uploading = source["uploading"];
	        this.review = source["review"];
	        this.filedToday = source["filedToday"];
	        this.createdAt = source["createdAt"];
	    }
	}
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
	    builtinApp: boolean;
	
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
	        this.builtinApp = source["builtinApp"];
	    }
	}
	export class ItemsFilter {
	    states: string[];
	    contactId: string;
	    limit: number;
	    offset: number;
	
	    static createFrom(source: any = {}) {
	        return new ItemsFilter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.states = source["states"];
	        this.contactId = source["contactId"];
	        this.limit = source["limit"];
	        this.offset = source["offset"];
	    }
	}
	export class Limits {
	    maxBytes: number;
	    accepted: string[];
	    blocked: string[];
	
	    static createFrom(source: any = {}) {
	        return new Limits(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.maxBytes = source["maxBytes"];
	        this.accepted = source["accepted"];
	        this.blocked = source["blocked"];
	    }
	}
	export class LinkList {
	    links: chase.Link[];
	    counts: chase.LinkCounts;
	
	    static createFrom(source: any = {}) {
	        return new LinkList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.links = this.convertValues(source["links"], chase.Link);
	        this.counts = this.convertValues(source["counts"], chase.LinkCounts);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MailSetup {
	    settings: mail.Settings;
	    passwordSaved: boolean;
	    demo: boolean;
	    thisComputerSends: boolean;
	    ready: boolean;
	
	    static createFrom(source: any = {}) {
	        return new MailSetup(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.settings = this.convertValues(source["settings"], mail.Settings);
	        this.passwordSaved = source["passwordSaved"];
	        this.demo = source["demo"];
	        this.thisComputerSends = source["thisComputerSends"];
	        this.ready = source["ready"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Organisation {
	    id: string;
	    name: string;
	    main: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Organisation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.main = source["main"];
	    }
	}
	export class Overview {
	    held: number;
	    queued: number;
	    active: number;
	    waiting: number;
	    done: number;
	    failed: number;
	    skipped: number;
	    cancelled: number;
	    liveBytes: number;
	    paused: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Overview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.held = source["held"];
	        this.queued = source["queued"];
	        this.active = source["active"];
	        this.waiting = source["waiting"];
	        this.done = source["done"];
	        this.failed = source["failed"];
	        this.skipped = source["skipped"];
	        this.cancelled = source["cancelled"];
	        this.liveBytes = source["liveBytes"];
	        this.paused = source["paused"];
	    }
	}
	export class Preferences {
	    lastScreen: string;
	    xeroClientId: string;
	    onboarded: boolean;
	    xpmAccess: boolean;
	    xpmJobWrite: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Preferences(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.lastScreen = source["lastScreen"];
	        this.xeroClientId = source["xeroClientId"];
	        this.onboarded = source["onboarded"];
	        this.xpmAccess = source["xpmAccess"];
	        this.xpmJobWrite = source["xpmJobWrite"];
	    }
	}
	export class Preview {
	    name: string;
	    kind: string;
	    mimeType?: string;
	    dataUrl?: string;
	    size: number;
	    note?: string;
	
	    static createFrom(source: any = {}) {
	        return new Preview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.mimeType = source["mimeType"];
	        this.dataUrl = source["dataUrl"];
	        this.size = source["size"];
	        this.note = source["note"];
	    }
	}
	export class SuggestionView {
	    contactId: string;
	    name: string;
	    confidence: number;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new SuggestionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.contactId = source["contactId"];
	        this.name = source["name"];
	        this.confidence = source["confidence"];
	        this.reason = source["reason"];
	    }
	}
	export class ReviewView {
	    id: number;
	    folderId: number;
	    folder: string;
	    rel: string;
	    name: string;
	    path: string;
	    size: number;
	    kind: string;
	    reason: string;
	    suggestions: SuggestionView[];
	    createdAt: string;
	
	    static createFrom(source: any = {}) {
	        return new ReviewView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.folderId = source["folderId"];
	        this.folder = source["folder"];
	        this.rel = source["rel"];
	        this.name = source["name"];
	        this.path = source["path"];
	        this.size = source["size"];
	        this.kind = source["kind"];
	        this.reason = source["reason"];
	        this.suggestions = this.convertValues(source["suggestions"], SuggestionView);
	        this.createdAt = source["createdAt"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RuleView {
	    id: number;
	    tenantId: string;
	    pattern: string;
	    contactId: string;
	    clientName: string;
	
	    static createFrom(source: any = {}) {
	        return new RuleView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.tenantId = source["tenantId"];
	        this.pattern = source["pattern"];
	        this.contactId = source["contactId"];
	        this.clientName = source["clientName"];
	    }
	}
	
	export class SyncStatus {
	    connected: boolean;
	    reason?: string;
	    tenantId: string;
	    tenantName: string;
	    // Go type: time
	    lastSynced: any;
	    counts: store.ContactCounts;
	    running: boolean;
	    full: boolean;
	    page: number;
	    pageCount: number;
	    lastError?: string;
	
	    static createFrom(source: any = {}) {
	        return new SyncStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connected = source["connected"];
	        this.reason = source["reason"];
	        this.tenantId = source["tenantId"];
	        this.tenantName = source["tenantName"];
	        this.lastSynced = this.convertValues(source["lastSynced"], null);
	        this.counts = this.convertValues(source["counts"], store.ContactCounts);
	        this.running = source["running"];
	        this.full = source["full"];
	        this.page = source["page"];
	        this.pageCount = source["pageCount"];
	        this.lastError = source["lastError"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Tenant {
	    tenantId: string;
	    connectionId: string;
	    name: string;
	    type: string;
	    // Go type: time
	    connected: any;
	    chosen: boolean;
	    main: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Tenant(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.tenantId = source["tenantId"];
	        this.connectionId = source["connectionId"];
	        this.name = source["name"];
	        this.type = source["type"];
	        this.connected = this.convertValues(source["connected"], null);
	        this.chosen = source["chosen"];
	        this.main = source["main"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class UpdateInfo {
	    enabled: boolean;
	    available: boolean;
	    current: string;
	    version: string;
	    url: string;
	    notes: string;
	
	    static createFrom(source: any = {}) {
	        return new UpdateInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.enabled = source["enabled"];
	        this.available = source["available"];
	        this.current = source["current"];
	        this.version = source["version"];
	        this.url = source["url"];
	        this.notes = source["notes"];
	    }
	}
	export class XeroLink {
	    url?: string;
	    note?: string;
	
	    static createFrom(source: any = {}) {
	        return new XeroLink(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.note = source["note"];
	    }
	}

}

export namespace chase {
	
	export class Candidate {
	    contactId: string;
	    name: string;
	    confidence: number;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new Candidate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.contactId = source["contactId"];
	        this.name = source["name"];
	        this.confidence = source["confidence"];
	        this.reason = source["reason"];
	    }
	}
	export class Email {
	    clientKey: string;
	    to: string;
	    subject: string;
	    body: string;
	    state: string;
	
	    static createFrom(source: any = {}) {
	        return new Email(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.clientKey = source["clientKey"];
	        this.to = source["to"];
	        this.subject = source["subject"];
	        this.body = source["body"];
	        this.state = source["state"];
	    }
	}
	export class Link {
	    clientUuid: string;
	    clientName: string;
	    clientEmail?: string;
	    exportCode?: string;
	    contactId?: string;
	    contactName?: string;
	    method?: string;
	    confidence: number;
	    status: string;
	    reason?: string;
	    candidates?: Candidate[];
	    jobs: number;
	    keys: string[];
	    sure: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Link(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.clientUuid = source["clientUuid"];
	        this.clientName = source["clientName"];
	        this.clientEmail = source["clientEmail"];
	        this.exportCode = source["exportCode"];
	        this.contactId = source["contactId"];
	        this.contactName = source["contactName"];
	        this.method = source["method"];
	        this.confidence = source["confidence"];
	        this.status = source["status"];
	        this.reason = source["reason"];
	        this.candidates = this.convertValues(source["candidates"], Candidate);
	        this.jobs = source["jobs"];
	        this.keys = source["keys"];
	        this.sure = source["sure"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LinkCounts {
	    auto: number;
	    confirmed: number;
	    broken: number;
	    ambiguous: number;
	    unmatched: number;
	    sure: number;
	
	    static createFrom(source: any = {}) {
	        return new LinkCounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.auto = source["auto"];
	        this.confirmed = source["confirmed"];
	        this.broken = source["broken"];
	        this.ambiguous = source["ambiguous"];
	        this.unmatched = source["unmatched"];
	        this.sure = source["sure"];
	    }
	}
	export class LinkFilter {
	    Status: string;
	    Text: string;
	
	    static createFrom(source: any = {}) {
	        return new LinkFilter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Status = source["Status"];
	        this.Text = source["Text"];
	    }
	}
	export class Placeholder {
	    key: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new Placeholder(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.label = source["label"];
	    }
	}
	export class Row {
	    clientKey: string;
	    clientName: string;
	    contactId?: string;
	    contactName?: string;
	    linkStatus?: string;
	    person?: string;
	    jobId?: string;
	    jobName?: string;
	    state: string;
	    // Go type: time
	    startDate: any;
	    // Go type: time
	    dueDate: any;
	    // Go type: time
	    waitingSince: any;
	    ageDays: number;
	    ageBasis: string;
	    ageLabel: string;
	    daysWaiting: number;
	    overdueDays: number;
	    dueLabel: string;
	    docsNeeded: string[];
	    email?: string;
	    phone?: string;
	    docsSince: number;
	    // Go type: time
	    lastChased: any;
	    source: string;
	
	    static createFrom(source: any = {}) {
	        return new Row(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.clientKey = source["clientKey"];
	        this.clientName = source["clientName"];
	        this.contactId = source["contactId"];
	        this.contactName = source["contactName"];
	        this.linkStatus = source["linkStatus"];
	        this.person = source["person"];
	        this.jobId = source["jobId"];
	        this.jobName = source["jobName"];
	        this.state = source["state"];
	        this.startDate = this.convertValues(source["startDate"], null);
	        this.dueDate = this.convertValues(source["dueDate"], null);
	        this.waitingSince = this.convertValues(source["waitingSince"], null);
	        this.ageDays = source["ageDays"];
	        this.ageBasis = source["ageBasis"];
	        this.ageLabel = source["ageLabel"];
	        this.daysWaiting = source["daysWaiting"];
	        this.overdueDays = source["overdueDays"];
	        this.dueLabel = source["dueLabel"];
	        this.docsNeeded = source["docsNeeded"];
	        this.email = source["email"];
	        this.phone = source["phone"];
	        this.docsSince = source["docsSince"];
	        this.lastChased = this.convertValues(source["lastChased"], null);
	        this.source = source["source"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class StateMapping {
	    name: string;
	    uuid?: string;
	    code: string;
	    codeSource: string;
	    codeKnown: boolean;
	    chase: boolean;
	    guessed: boolean;
	    moveTo?: string;
	    present: boolean;
	    jobs: number;
	
	    static createFrom(source: any = {}) {
	        return new StateMapping(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.uuid = source["uuid"];
	        this.code = source["code"];
	        this.codeSource = source["codeSource"];
	        this.codeKnown = source["codeKnown"];
	        this.chase = source["chase"];
	        this.guessed = source["guessed"];
	        this.moveTo = source["moveTo"];
	        this.present = source["present"];
	        this.jobs = source["jobs"];
	    }
	}
	export class Suggestion {
	    jobId: string;
	    jobName: string;
	    clientUuid: string;
	    clientName: string;
	    fromState: string;
	    toState: string;
	    toCode: string;
	
	    static createFrom(source: any = {}) {
	        return new Suggestion(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.jobId = source["jobId"];
	        this.jobName = source["jobName"];
	        this.clientUuid = source["clientUuid"];
	        this.clientName = source["clientName"];
	        this.fromState = source["fromState"];
	        this.toState = source["toState"];
	        this.toCode = source["toCode"];
	    }
	}
	export class Template {
	    subject: string;
	    body: string;
	
	    static createFrom(source: any = {}) {
	        return new Template(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.subject = source["subject"];
	        this.body = source["body"];
	    }
	}

}

export namespace core {
	
	export class ConnState {
	    kind: string;
	    // Go type: time
	    until: any;
	    attempt?: number;
	    page?: number;
	    pageCount?: number;
	    message: string;
	    // Go type: time
	    since: any;
	
	    static createFrom(source: any = {}) {
	        return new ConnState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.until = this.convertValues(source["until"], null);
	        this.attempt = source["attempt"];
	        this.page = source["page"];
	        this.pageCount = source["pageCount"];
	        this.message = source["message"];
	        this.since = this.convertValues(source["since"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TenantRef {
	    id: string;
	    name: string;
	    connectionId: string;
	
	    static createFrom(source: any = {}) {
	        return new TenantRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.connectionId = source["connectionId"];
	    }
	}

}

export namespace mail {
	
	export class OutboxMessage {
	    id: number;
	    // Go type: time
	    at: any;
	    messageId: string;
	    from: string;
	    replyTo: string;
	    to: string;
	    subject: string;
	    text: string;
	    html: string;
	
	    static createFrom(source: any = {}) {
	        return new OutboxMessage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.at = this.convertValues(source["at"], null);
	        this.messageId = source["messageId"];
	        this.from = source["from"];
	        this.replyTo = source["replyTo"];
	        this.to = source["to"];
	        this.subject = source["subject"];
	        this.text = source["text"];
	        this.html = source["html"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Settings {
	    host: string;
	    port: number;
	    security: string;
	    username: string;
	    fromName: string;
	    fromAddress: string;
	    replyTo: string;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.host = source["host"];
	        this.port = source["port"];
	        this.security = source["security"];
	        this.username = source["username"];
	        this.fromName = source["fromName"];
	        this.fromAddress = source["fromAddress"];
	        this.replyTo = source["replyTo"];
	    }
	}

}

export namespace remind {
	
	export class CheckItem {
	    doc: string;
	    done: boolean;
	    // Go type: time
	    doneAt: any;
	    doneBy: string;
	
	    static createFrom(source: any = {}) {
	        return new CheckItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.doc = source["doc"];
	        this.done = source["done"];
	        this.doneAt = this.convertValues(source["doneAt"], null);
	        this.doneBy = source["doneBy"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Item {
	    id: number;
	    clientKey: string;
	    clientName: string;
	    contactId: string;
	    planId: string;
	    step: number;
	    jobIds: string[];
	    due: string;
	    status: string;
	    automatic: boolean;
	    to: string;
	    subject: string;
	    body: string;
	    outstanding: string[];
	    messageId: string;
	    // Go type: time
	    sentAt: any;
	    attempts: number;
	    // Go type: time
	    retryAt: any;
	    error: string;
	    errorCode: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new Item(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.clientKey = source["clientKey"];
	        this.clientName = source["clientName"];
	        this.contactId = source["contactId"];
	        this.planId = source["planId"];
	        this.step = source["step"];
	        this.jobIds = source["jobIds"];
	        this.due = source["due"];
	        this.status = source["status"];
	        this.automatic = source["automatic"];
	        this.to = source["to"];
	        this.subject = source["subject"];
	        this.body = source["body"];
	        this.outstanding = source["outstanding"];
	        this.messageId = source["messageId"];
	        this.sentAt = this.convertValues(source["sentAt"], null);
	        this.attempts = source["attempts"];
	        this.retryAt = this.convertValues(source["retryAt"], null);
	        this.error = source["error"];
	        this.errorCode = source["errorCode"];
	        this.reason = source["reason"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Next {
	    clientKey: string;
	    date: string;
	    step: number;
	    planId: string;
	    paused: string;
	    optedOut: boolean;
	    stopped: boolean;
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new Next(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.clientKey = source["clientKey"];
	        this.date = source["date"];
	        this.step = source["step"];
	        this.planId = source["planId"];
	        this.paused = source["paused"];
	        this.optedOut = source["optedOut"];
	        this.stopped = source["stopped"];
	        this.note = source["note"];
	    }
	}
	export class Client {
	    clientKey: string;
	    paused: string;
	    optedOut: boolean;
	    stopped: boolean;
	    next: Next;
	    history: Item[];
	
	    static createFrom(source: any = {}) {
	        return new Client(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.clientKey = source["clientKey"];
	        this.paused = source["paused"];
	        this.optedOut = source["optedOut"];
	        this.stopped = source["stopped"];
	        this.next = this.convertValues(source["next"], Next);
	        this.history = this.convertValues(source["history"], Item);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class Step {
	    subject: string;
	    body: string;
	
	    static createFrom(source: any = {}) {
	        return new Step(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.subject = source["subject"];
	        this.body = source["body"];
	    }
	}
	export class Plan {
	    id: string;
	    name: string;
	    enabled: boolean;
	    automatic: boolean;
	    everyDays: number;
	    maxReminders: number;
	    steps: Step[];
	    quietDays: number[];
	    sendFrom: number;
	    sendUntil: number;
	    stopWhen: string;
	    defaultDocs: string[];
	
	    static createFrom(source: any = {}) {
	        return new Plan(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.enabled = source["enabled"];
	        this.automatic = source["automatic"];
	        this.everyDays = source["everyDays"];
	        this.maxReminders = source["maxReminders"];
	        this.steps = this.convertValues(source["steps"], Step);
	        this.quietDays = source["quietDays"];
	        this.sendFrom = source["sendFrom"];
	        this.sendUntil = source["sendUntil"];
	        this.stopWhen = source["stopWhen"];
	        this.defaultDocs = source["defaultDocs"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Proposal {
	    clientKey: string;
	    clientName: string;
	    jobId: string;
	    jobName: string;
	    outstanding: string[];
	    files: number;
	    since: string;
	
	    static createFrom(source: any = {}) {
	        return new Proposal(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.clientKey = source["clientKey"];
	        this.clientName = source["clientName"];
	        this.jobId = source["jobId"];
	        this.jobName = source["jobName"];
	        this.outstanding = source["outstanding"];
	        this.files = source["files"];
	        this.since = source["since"];
	    }
	}

}

export namespace store {
	
	export class Address {
	    type: string;
	    lines?: string[];
	    city?: string;
	    region?: string;
	    postalCode?: string;
	    country?: string;
	    attentionTo?: string;
	
	    static createFrom(source: any = {}) {
	        return new Address(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.lines = source["lines"];
	        this.city = source["city"];
	        this.region = source["region"];
	        this.postalCode = source["postalCode"];
	        this.country = source["country"];
	        this.attentionTo = source["attentionTo"];
	    }
	}
	export class Person {
	    firstName?: string;
	    lastName?: string;
	    email?: string;
	    includeInEmails?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Person(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.firstName = source["firstName"];
	        this.lastName = source["lastName"];
	        this.email = source["email"];
	        this.includeInEmails = source["includeInEmails"];
	    }
	}
	export class Phone {
	    type: string;
	    number: string;
	    areaCode?: string;
	    countryCode?: string;
	
	    static createFrom(source: any = {}) {
	        return new Phone(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.number = source["number"];
	        this.areaCode = source["areaCode"];
	        this.countryCode = source["countryCode"];
	    }
	}
	export class Contact {
	    id: string;
	    name: string;
	    firstName?: string;
	    lastName?: string;
	    email?: string;
	    accountNumber?: string;
	    contactNumber?: string;
	    companyNumber?: string;
	    website?: string;
	    status: string;
	    isCustomer: boolean;
	    isSupplier: boolean;
	    mergedToId?: string;
	    // Go type: time
	    updatedUtc: any;
	    phones?: Phone[];
	    addresses?: Address[];
	    persons?: Person[];
	    groups?: string[];
	    // Go type: time
	    syncedAt: any;
	
	    static createFrom(source: any = {}) {
	        return new Contact(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.firstName = source["firstName"];
	        this.lastName = source["lastName"];
	        this.email = source["email"];
	        this.accountNumber = source["accountNumber"];
	        this.contactNumber = source["contactNumber"];
	        this.companyNumber = source["companyNumber"];
	        this.website = source["website"];
	        this.status = source["status"];
	        this.isCustomer = source["isCustomer"];
	        this.isSupplier = source["isSupplier"];
	        this.mergedToId = source["mergedToId"];
	        this.updatedUtc = this.convertValues(source["updatedUtc"], null);
	        this.phones = this.convertValues(source["phones"], Phone);
	        this.addresses = this.convertValues(source["addresses"], Address);
	        this.persons = this.convertValues(source["persons"], Person);
	        this.groups = source["groups"];
	        this.syncedAt = this.convertValues(source["syncedAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ContactCounts {
	    total: number;
	    active: number;
	    archived: number;
	    customers: number;
	
	    static createFrom(source: any = {}) {
	        return new ContactCounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.active = source["active"];
	        this.archived = source["archived"];
	        this.customers = source["customers"];
	    }
	}
	export class ContactSummary {
	    id: string;
	    name: string;
	    email?: string;
	    accountNumber?: string;
	    contactNumber?: string;
	    status: string;
	    isCustomer: boolean;
	    isSupplier: boolean;
	    mergedToId?: string;
	    // Go type: time
	    updatedUtc: any;
	
	    static createFrom(source: any = {}) {
	        return new ContactSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.accountNumber = source["accountNumber"];
	        this.contactNumber = source["contactNumber"];
	        this.status = source["status"];
	        this.isCustomer = source["isCustomer"];
	        this.isSupplier = source["isSupplier"];
	        this.mergedToId = source["mergedToId"];
	        this.updatedUtc = this.convertValues(source["updatedUtc"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	

}

export namespace upload {
	
	export class CheckError {
	    Path: string;
	    Reason: string;
	    Message: string;
	    Err: any;
	
	    static createFrom(source: any = {}) {
	        return new CheckError(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Path = source["Path"];
	        this.Reason = source["Reason"];
	        this.Message = source["Message"];
	        this.Err = source["Err"];
	    }
	}
	export class Contact {
	    id: string;
	    name: string;
	    type: string;
	
	    static createFrom(source: any = {}) {
	        return new Contact(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.type = source["type"];
	    }
	}
	export class Entry {
	    id: number;
	    // Go type: time
	    at: any;
	    itemId: number;
	    user: string;
	    path: string;
	    name: string;
	    size: number;
	    sha256: string;
	    tenantId: string;
	    contactId: string;
	    contactName: string;
	    folder: string;
	    fileId: string;
	    outcome: string;
	    detail: string;
	
	    static createFrom(source: any = {}) {
	        return new Entry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.at = this.convertValues(source["at"], null);
	        this.itemId = source["itemId"];
	        this.user = source["user"];
	        this.path = source["path"];
	        this.name = source["name"];
	        this.size = source["size"];
	        this.sha256 = source["sha256"];
	        this.tenantId = source["tenantId"];
	        this.contactId = source["contactId"];
	        this.contactName = source["contactName"];
	        this.folder = source["folder"];
	        this.fileId = source["fileId"];
	        this.outcome = source["outcome"];
	        this.detail = source["detail"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Item {
	    id: number;
	    path: string;
	    name: string;
	    size: number;
	    sha256: string;
	    // Go type: time
	    modTime: any;
	    tenantId: string;
	    contact: Contact;
	    folder: string;
	    state: string;
	    reason?: string;
	    retryable: boolean;
	    note?: string;
	    fileId?: string;
	    attempts: number;
	    // Go type: time
	    nextAt: any;
	    source: string;
	    user: string;
	    forced: boolean;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    updatedAt: any;
	    // Go type: time
	    heldUntil?: any;
	
	    static createFrom(source: any = {}) {
	        return new Item(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.path = source["path"];
	        this.name = source["name"];
	        this.size = source["size"];
	        this.sha256 = source["sha256"];
	        this.modTime = this.convertValues(source["modTime"], null);
	        this.tenantId = source["tenantId"];
	        this.contact = this.convertValues(source["contact"], Contact);
	        this.folder = source["folder"];
	        this.state = source["state"];
	        this.reason = source["reason"];
	        this.retryable = source["retryable"];
	        this.note = source["note"];
	        this.fileId = source["fileId"];
	        this.attempts = source["attempts"];
	        this.nextAt = this.convertValues(source["nextAt"], null);
	        this.source = source["source"];
	        this.user = source["user"];
	        this.forced = source["forced"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.heldUntil = this.convertValues(source["heldUntil"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

