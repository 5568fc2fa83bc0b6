/** A single-use stand-in for the token in a stream URL (`POST <prefix>/stream-tickets`). */
export interface StreamTicket {
  /** Opaque; pass as `?ticket=` to one stream route of the service that issued it. */
  ticket: string;
  /** When it can no longer be redeemed (ISO 8601; at most 60 s after it was issued). */
  expiresAt: string;
}

/** The services that issue stream tickets (each for its own streams). */
export type TicketService = 'task' | 'monitoring' | 'summary';
