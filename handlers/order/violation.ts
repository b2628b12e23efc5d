/** One way in which a value breaks its schema: where (a JSON Pointer, RFC 6901) and what. */
export interface Violation {
    /** JSON Pointer to the offending value, "" for the document itself, e.g. "/items/0/quantity". */
    readonly pointer: string;
    /** What is wrong with it, e.g. "must be >= 1". */
    readonly detail: string;
}
