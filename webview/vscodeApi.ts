import type { FromWebview, PersistedState } from '../src/shared/protocol';

/** The object VS Code injects into every webview; declared here instead of silencing the type checker. */
interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): State;
}

declare function acquireVsCodeApi<State = unknown>(): VsCodeApi<State>;

export interface HostChannel {
  post(message: FromWebview): void;
  getState(): unknown;
  setState(state: PersistedState): void;
}

/** Typed wrapper: only protocol messages go out. `acquireVsCodeApi` may be called once per page. */
export function connectToHost(): HostChannel {
  const api = acquireVsCodeApi<PersistedState>();
  return {
    post: (message) => api.postMessage(message),
    getState: () => api.getState(),
    setState: (state) => { api.setState(state); },
  };
}
