import { Injectable } from '@nestjs/common';
import { BehaviorSubject, type Observable } from 'rxjs';

/**
 * Knows whether the process is draining. Readiness turns false as soon as draining starts and
 * open streams are told to close, before the HTTP server stops accepting.
 */
@Injectable()
export class ShutdownCoordinator {
  private readonly state = new BehaviorSubject(false);

  get draining(): boolean {
    return this.state.value;
  }

  /** Emits `true` once, when draining starts. */
  get draining$(): Observable<boolean> {
    return this.state.asObservable();
  }

  beginDraining(): void {
    if (!this.state.value) this.state.next(true);
  }
}
