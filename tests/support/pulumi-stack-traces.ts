/**
 * Pulumi's SDK takes a stack trace for every promise it creates (only ever printed by its report of
 * promises still pending at exit) and for every resource it registers (the source position it
 * sends to the engine). Under tsx, source maps are on, and Node maps each frame of each trace back
 * to the TypeScript source: in a test that builds a whole OrderPipeline a few times, those traces
 * are most of the CPU time. Under the mocks, then: the promise's trace is left out (the leak report
 * still names each promise by its context; set PULUMI_DEBUG_PROMISE_LEAKS to keep the traces), and
 * the resource's trace is formatted without source maps (the mocks, standing in for the engine,
 * never read it). Every other stack, a failing assertion's or the code under test's, is still
 * mapped to the TypeScript source.
 */
import * as pulumi from "@pulumi/pulumi";

/** Marks a function as already wrapped, so that loading this module twice wraps once. */
const WRAPPED = Symbol.for("order-pipeline.tests.cheapStackTraces");

/** `fn`, run inside `around`; unchanged if it was wrapped already. */
function wrapped<F extends (...args: any[]) => unknown>(fn: F, around: <T>(call: () => T) => T): F {
    if ((fn as unknown as Record<symbol, boolean>)[WRAPPED]) return fn;
    const wrapper = function (this: unknown, ...args: unknown[]) {
        return around(() => fn.apply(this, args));
    } as unknown as F;
    (wrapper as unknown as Record<symbol, boolean>)[WRAPPED] = true;
    return wrapper;
}

/** Runs `call` with errors capturing no stack frames. */
function withoutStackFrames<T>(call: () => T): T {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return call();
    } finally {
        Error.stackTraceLimit = limit;
    }
}

/** Runs `call` with Node's plain stack formatting, without the source-map lookup of each frame. */
function withPlainStacks<T>(call: () => T): T {
    if (!process.sourceMapsEnabled) return call();
    process.setSourceMapsEnabled(false);
    try {
        return call();
    } finally {
        process.setSourceMapsEnabled(true);
    }
}

// The SDK calls debuggablePromise through its module's exports object, and callsites through the
// Resource class, so a replacement on either is what the SDK calls.
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise?: (...args: unknown[]) => unknown };
if (typeof debuggable.debuggablePromise === "function" && !process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
    debuggable.debuggablePromise = wrapped(debuggable.debuggablePromise, withoutStackFrames);
}
const resource = pulumi.Resource as unknown as { callsites?: () => unknown };
if (typeof resource.callsites === "function") resource.callsites = wrapped(resource.callsites, withPlainStacks);
