// Messages between the folder-and-ZIP writer and its helper thread (copy-hash-worker.ts).

/** Given once, when the thread starts. */
export interface CopyHashWorkerData {
  /** The ZIP being written, read back to compute its SHA-256. */
  zip: string;
  /** Size of the thread's one read buffer. */
  chunk: number;
}

/** One batch of work. */
export interface CopyHashBatch {
  /** Files to copy for the folder: [source, destination, expected size, label for messages]. */
  copies: [string, string, number, string][];
  /** Bytes [0, upTo) of the ZIP are written: hash them. */
  upTo: number;
  /** Last batch: answer with the SHA-256 and stop reading. */
  end: boolean;
}

/** `ready` once the thread runs (before any batch); `ack` after each batch but the last. */
export type CopyHashReply = { ready: true } | { ack: true } | { sha256: string; size: number } | { error: string };
