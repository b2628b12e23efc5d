import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "./args";
import { createMetricAlarm, type AlarmSpec } from "./alarms";

/**
 * SES's warning levels for an account's reputation (the reputation dashboard's "warning" status;
 * above them SES may put the account under review): a bounce rate of 5 % and a complaint rate of
 * 0.1 %, as ratios.
 */
export const SES_WARNING_BOUNCE_RATE = 0.05;
export const SES_WARNING_COMPLAINT_RATE = 0.001;

/** Why an address goes on the suppression lists: hard bounces and complaints. */
export const SUPPRESSED_REASONS = ["BOUNCE", "COMPLAINT"];

/** The configuration set every confirmation email names, and what watches the account's reputation. */
export interface EmailReputation {
    readonly configurationSet: aws.sesv2.ConfigurationSet;
    /** Account-level suppression of addresses that bounced or complained. */
    readonly accountSuppression: aws.sesv2.AccountSuppressionAttributes;
    /** `ses-bounce-rate` and `ses-complaint-rate`. */
    readonly alarms: Record<string, aws.cloudwatch.MetricAlarm>;
}

/** The configuration set's name: unique per stack, at most 64 of [A-Za-z0-9_-] (SES's rule). */
export function configurationSetName(name: string, stack: string): string {
    return `${name}-${stack}`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 64);
}

/**
 * Creates the configuration set (`${name}-email-config`) with reputation metrics published to
 * CloudWatch and bounces and complaints suppressed, turns on account-level suppression for both
 * (`${name}-email-suppression`; one setting per account and region), and alarms on the account's
 * bounce and complaint rates at SES's warning levels, to the alarm topic.
 */
export function createEmailReputation(
    spec: { readonly name: string; readonly alarmTopicArn: pulumi.Input<string>; readonly tags: Tags | undefined },
    parent: pulumi.Resource,
): EmailReputation {
    const { name, tags } = spec;
    const configurationSet = new aws.sesv2.ConfigurationSet(
        `${name}-email-config`,
        {
            configurationSetName: configurationSetName(name, pulumi.getStack()),
            reputationOptions: { reputationMetricsEnabled: true },
            suppressionOptions: { suppressedReasons: SUPPRESSED_REASONS },
            tags,
        },
        { parent },
    );
    const accountSuppression = new aws.sesv2.AccountSuppressionAttributes(`${name}-email-suppression`, { suppressedReasons: SUPPRESSED_REASONS }, { parent });
    const specs: Record<string, AlarmSpec> = {
        "ses-bounce-rate": {
            description: `The account's SES bounce rate is above ${SES_WARNING_BOUNCE_RATE * 100} %, SES's warning level: SES may review or pause sending.`,
            namespace: "AWS/SES",
            metricName: "Reputation.BounceRate",
            dimensions: {},
            statistic: "Maximum",
            threshold: SES_WARNING_BOUNCE_RATE,
        },
        "ses-complaint-rate": {
            description: `The account's SES complaint rate is above ${SES_WARNING_COMPLAINT_RATE * 100} %, SES's warning level: SES may review or pause sending.`,
            namespace: "AWS/SES",
            metricName: "Reputation.ComplaintRate",
            dimensions: {},
            statistic: "Maximum",
            threshold: SES_WARNING_COMPLAINT_RATE,
        },
    };
    const alarms: Record<string, aws.cloudwatch.MetricAlarm> = {};
    for (const [key, alarm] of Object.entries(specs)) alarms[key] = createMetricAlarm(`${name}-${key}-alarm`, alarm, spec.alarmTopicArn, tags, parent);
    return { configurationSet, accountSuppression, alarms };
}
