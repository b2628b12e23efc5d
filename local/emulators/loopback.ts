/**
 * The only interface local mode's servers bind to: nothing here is reachable from another machine.
 * A module of its own, so that a thread that only listens (the SES mailbox simulator) does not load
 * the emulators with it.
 */
export const LOOPBACK = "127.0.0.1";
