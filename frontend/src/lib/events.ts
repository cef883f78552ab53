// Event names the Go side emits (app/events.go); keep both lists in step.
export const Ev = {
  SyncProgress: 'sync:progress',
  SyncDone: 'sync:done',
  UploadProgress: 'upload:progress',
  UploadDone: 'upload:done',
  UploadItem: 'upload:item',
  PracticeSync: 'practice:sync',
  ChaseFiles: 'chase:files',
  ChaseChanged: 'chase:changed',
  AuthState: 'auth:state',
  SignInURL: 'auth:signin-url',
  WatchFiled: 'watch:filed',
  ModeChanged: 'app:mode',
  Notice: 'app:notice',
  WatchQueued: 'watch:queued',
  WatchReview: 'watch:review',
  WatchFolder: 'watch:folder',
  Connection: 'connection:state',
  RemindChanged: 'remind:changed',
} as const

export interface Notice {
  kind: 'info' | 'success' | 'warning' | 'error'
  message: string
}
