export { LogCapture } from './log-capture';
export { listenOnRandomPort } from './listen';
export { openSse, type RawSseResponse } from './sse-client';
