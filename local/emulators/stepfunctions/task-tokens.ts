/**
 * Task tokens of `.waitForTaskToken` Tasks: issued when a Task is scheduled, answered by
 * SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat, void once their Task has ended (answered,
 * timed out, retried or its execution stopped). Answers follow the Step Functions API reference:
 * a token never issued is `InvalidToken`; a token whose Task has ended is `TaskTimedOut`.
 */
import { randomBytes } from "node:crypto";
import { AwsApiError } from "../aws-json-server";
import { IntegrationError } from "./integration-errors";

/** Longest `output` SendTaskSuccess accepts: 256 KiB of UTF-8 (API reference). */
export const MAX_TASK_OUTPUT_BYTES = 256 * 1024;

/** Longest token the API accepts (API reference, `taskToken`: 1 to 2048 characters). */
const MAX_TOKEN_LENGTH = 2048;

interface Waiter {
    resolve(output: unknown): void;
    reject(error: Error): void;
    heartbeat(): void;
}

/** The tokens of one emulator. */
export class TaskTokens {
    /** Open tokens with their waiter (once the Task waits), by token. */
    private readonly open = new Map<string, { waiter?: Waiter; executionArn: string }>();
    /** Tokens whose Task has ended. */
    private readonly closed = new Set<string>();

    /** A new token for a Task of `executionArn`; it can be answered from now on. */
    issue(executionArn: string): string {
        // Opaque and long, as real tokens are; base64url keeps it free of characters JSON or URLs escape.
        const token = randomBytes(96).toString("base64url");
        this.open.set(token, { executionArn });
        return token;
    }

    /**
     * Waits for the answer to `token`. Resolves with SendTaskSuccess's output, rejects with
     * SendTaskFailure's error (name = its `error`, message = its `cause`), or with
     * `States.HeartbeatTimeout` when `heartbeatSeconds` pass without a heartbeat.
     */
    wait(token: string, heartbeatSeconds?: number): Promise<unknown> {
        const entry = this.open.get(token);
        if (!entry) return Promise.reject(new Error(`task token was not issued or has ended`));
        return new Promise((resolve, reject) => {
            let timer: NodeJS.Timeout | undefined;
            const arm = () => {
                if (heartbeatSeconds === undefined) return;
                clearTimeout(timer);
                timer = setTimeout(() => {
                    this.close(token);
                    reject(new IntegrationError("States.HeartbeatTimeout", `no heartbeat in ${heartbeatSeconds} seconds`));
                }, heartbeatSeconds * 1000);
            };
            entry.waiter = {
                resolve: (output) => {
                    clearTimeout(timer);
                    resolve(output);
                },
                reject: (error) => {
                    clearTimeout(timer);
                    reject(error);
                },
                heartbeat: arm,
            };
            arm();
        });
    }

    /** Voids `token`: its Task has ended; an answer now is TaskTimedOut. A waiter still waiting is released with `error`. */
    close(token: string, error?: Error): void {
        const entry = this.open.get(token);
        this.open.delete(token);
        this.closed.add(token);
        if (entry?.waiter && error) entry.waiter.reject(error);
    }

    /** Voids every open token of an execution (it was stopped or ended). */
    closeExecution(executionArn: string, error?: Error): void {
        for (const [token, entry] of [...this.open]) if (entry.executionArn === executionArn) this.close(token, error);
    }

    /** The open entry of a token, or the API error the token gets. */
    private entryOf(token: unknown): { waiter?: Waiter; executionArn: string } {
        if (typeof token !== "string" || token.length < 1 || token.length > MAX_TOKEN_LENGTH) {
            throw new AwsApiError(400, "InvalidToken", "Invalid Token: the task token must be 1 to 2048 characters");
        }
        const entry = this.open.get(token);
        if (entry) return entry;
        if (this.closed.has(token)) throw new AwsApiError(400, "TaskTimedOut", "Task Timed Out: the task of this token has ended");
        throw new AwsApiError(400, "InvalidToken", "Invalid Token: not a task token of this service");
    }

    /** SendTaskSuccess: `output` must be JSON of at most 256 KiB. */
    succeed(token: unknown, output: unknown): void {
        const entry = this.entryOf(token);
        if (typeof output !== "string") throw new AwsApiError(400, "ValidationException", "1 validation error detected: Value null at 'output' failed to satisfy constraint: Member must not be null");
        if (Buffer.byteLength(output, "utf8") > MAX_TASK_OUTPUT_BYTES) throw new AwsApiError(400, "InvalidOutput", `Invalid Output: output exceeds ${MAX_TASK_OUTPUT_BYTES} bytes`);
        let parsed: unknown;
        try {
            parsed = JSON.parse(output);
        } catch {
            throw new AwsApiError(400, "InvalidOutput", "Invalid Output: the output is not valid JSON");
        }
        this.answer(token as string, entry, (waiter) => waiter.resolve(parsed));
    }

    /** SendTaskFailure: the Task fails with `error` (default empty name, as AWS) and `cause`. */
    fail(token: unknown, error: unknown, cause: unknown): void {
        const entry = this.entryOf(token);
        if (error !== undefined && (typeof error !== "string" || error.length > 256)) throw new AwsApiError(400, "ValidationException", "error must be a string of at most 256 characters");
        if (cause !== undefined && (typeof cause !== "string" || cause.length > 32768)) throw new AwsApiError(400, "ValidationException", "cause must be a string of at most 32768 characters");
        this.answer(token as string, entry, (waiter) => waiter.reject(new IntegrationError((error as string | undefined) ?? "", (cause as string | undefined) ?? "")));
    }

    /** SendTaskHeartbeat: restarts the Task's heartbeat clock. */
    heartbeat(token: unknown): void {
        this.entryOf(token).waiter?.heartbeat();
    }

    private answer(token: string, entry: { waiter?: Waiter }, settle: (waiter: Waiter) => void): void {
        this.open.delete(token);
        this.closed.add(token);
        // The Task may not wait yet (the message was sent, the answer came before the SDK call
        // returned): settle as soon as it does.
        if (entry.waiter) settle(entry.waiter);
        else this.early.set(token, settle);
    }

    /** Answers that came before their Task waited. */
    private readonly early = new Map<string, (waiter: Waiter) => void>();

    /** Waits for `token`, taking an answer that came early into account. */
    waitFor(token: string, heartbeatSeconds?: number): Promise<unknown> {
        const settle = this.early.get(token);
        if (settle) {
            this.early.delete(token);
            return new Promise((resolve, reject) => settle({ resolve, reject, heartbeat: () => undefined }));
        }
        return this.wait(token, heartbeatSeconds);
    }
}
