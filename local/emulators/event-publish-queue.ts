/**
 * Publishes the mailbox simulator's event records to the SNS topic with as few requests as load
 * allows: the records of emails accepted while a request is out are sent together in one SNS
 * PublishBatch (at most 10 entries, SNS's limit), each record still its own SNS message, as SES
 * publishes them. The records of one email stay together and in order in one batch.
 */
import { PublishBatchCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { SesEventRecord } from "./ses-event-records";

/** SNS PublishBatch: at most 10 entries, and 256 KiB of messages in all. */
const MAX_BATCH_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;

/** PublishBatch requests out at once. */
const MAX_IN_FLIGHT = 2;

/** Publishes records (one message each); resolves with the index and reason of each one that failed. */
export type PublishRecords = (records: readonly SesEventRecord[]) => Promise<readonly { readonly index: number; readonly reason: string }[]>;

/** Publishes records to an SNS topic in one PublishBatch: the record's JSON is the message, with no subject, as SES sends it. */
export function snsPublisher(sns: SNSClient, topicArn: string): PublishRecords {
    return async (records) => {
        const answer = await sns.send(
            new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: records.map((record, i) => ({ Id: String(i), Message: JSON.stringify(record) })) }),
        );
        return (answer.Failed ?? []).map((failure) => ({ index: Number(failure.Id), reason: `${failure.Code ?? "Failed"}: ${failure.Message ?? "no message"}` }));
    };
}

/** Counts of the queue. */
export interface PublishCounts {
    /** Records published to the topic. */
    published: number;
    /** Records that could not be published. */
    failed: number;
    /** Records waiting or being published. */
    publishing: number;
}

/** The records of accepted emails, on their way to the topic. */
export class EventPublishQueue {
    readonly counts: PublishCounts = { published: 0, failed: 0, publishing: 0 };
    private readonly waiting: SesEventRecord[][] = [];
    private inFlight = 0;
    private idleWaiters: Array<() => void> = [];

    constructor(
        private readonly publish: PublishRecords,
        private readonly onError: (error: Error) => void = () => {},
    ) {}

    /** Queues the records of one email; they are sent together, in this order. */
    add(records: readonly SesEventRecord[]): void {
        if (records.length === 0) return;
        this.waiting.push([...records]);
        this.counts.publishing += records.length;
        this.pump();
    }

    /** Resolves once every record added so far is published or failed. */
    idle(): Promise<void> {
        if (this.counts.publishing === 0) return Promise.resolve();
        return new Promise((resolve) => this.idleWaiters.push(resolve));
    }

    /** Takes whole emails' records up to a batch's limits. */
    private nextBatch(): SesEventRecord[] {
        const batch: SesEventRecord[] = [];
        let bytes = 0;
        while (this.waiting.length > 0) {
            const group = this.waiting[0];
            const groupBytes = group.reduce((n, record) => n + Buffer.byteLength(JSON.stringify(record)), 0);
            const fits = batch.length + group.length <= MAX_BATCH_ENTRIES && bytes + groupBytes <= MAX_BATCH_BYTES;
            // A batch always takes the first group, even one over the limits: SNS then says what is wrong with it.
            if (!fits && batch.length > 0) break;
            batch.push(...this.waiting.shift()!);
            bytes += groupBytes;
        }
        return batch;
    }

    private pump(): void {
        while (this.inFlight < MAX_IN_FLIGHT && this.waiting.length > 0) {
            const batch = this.nextBatch();
            this.inFlight++;
            void this.send(batch).finally(() => {
                this.inFlight--;
                this.counts.publishing -= batch.length;
                if (this.counts.publishing === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
                this.pump();
            });
        }
    }

    private async send(batch: readonly SesEventRecord[]): Promise<void> {
        let failures: readonly { readonly index: number; readonly reason: string }[];
        try {
            failures = await this.publish(batch);
        } catch (err) {
            failures = batch.map((_, index) => ({ index, reason: (err as Error).message }));
        }
        this.counts.failed += failures.length;
        this.counts.published += batch.length - failures.length;
        for (const failure of failures) {
            this.onError(new Error(`could not publish the SES ${batch[failure.index]?.eventType ?? "?"} event of message ${String((batch[failure.index]?.mail as { messageId?: unknown } | undefined)?.messageId)}: ${failure.reason}`));
        }
    }
}
