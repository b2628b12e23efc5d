import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "./args";
import { regionOfArn } from "./iam";
import type { ComponentEmailOn } from "./settings";

/** One DNS record to publish for the sending domain. */
export interface DnsRecord {
    /** The record's name, e.g. `<token>._domainkey.example.com`. */
    readonly name: string;
    /** The record's type: `CNAME`, `MX` or `TXT`. */
    readonly type: string;
    /** The record's value, as it is published. */
    readonly value: string;
}

/** The records that make mail from the sending domain authenticate, to publish in its DNS. */
export interface EmailDnsRecords {
    /** The three Easy DKIM CNAMEs. */
    readonly dkim: DnsRecord[];
    /** The MAIL FROM subdomain's MX and SPF TXT. */
    readonly mailFrom: DnsRecord[];
    /** The DMARC TXT record for `_dmarc.<domain>`. */
    readonly dmarc: DnsRecord;
}

/** The sending domain: its identity, its MAIL FROM subdomain and the records that make mail from it authenticate. */
export interface SendingDomain {
    readonly identity: aws.sesv2.EmailIdentity;
    readonly mailFrom: aws.sesv2.EmailIdentityMailFromAttributes;
    /** The custom MAIL FROM subdomain (`mail.<domain>`): the bounce address, aligned with the domain for SPF. */
    readonly mailFromDomain: pulumi.Output<string>;
    /** The three Easy DKIM CNAMEs. */
    readonly dkimRecords: pulumi.Output<DnsRecord[]>;
    /** The MAIL FROM subdomain's MX (SES's feedback endpoint of the region) and SPF TXT. */
    readonly mailFromRecords: pulumi.Output<DnsRecord[]>;
    /** The DMARC TXT record to publish on `_dmarc.<domain>`. */
    readonly dmarcRecord: pulumi.Output<DnsRecord>;
    /** The Route 53 records created when a hosted zone was given. */
    readonly route53Records: aws.route53.Record[];
}

/** The SES identity that confirmation emails are sent as. */
export interface EmailSender {
    /** The identity the component created, or undefined when an existing identity ARN was given. */
    readonly identity: aws.sesv2.EmailIdentity | undefined;
    /** ARN of the identity to send as (the resource of the send permission). */
    readonly identityArn: pulumi.Input<string>;
    /** The From address (the `ses:FromAddress` condition of the send permission). */
    readonly sender: pulumi.Input<string>;
    /** The sending domain, when `email.domain` is set. */
    readonly domain: SendingDomain | undefined;
}

/** The subdomain that becomes the custom MAIL FROM domain. */
export const MAIL_FROM_SUBDOMAIN = "mail";

/**
 * The DMARC policy published for the domain: quarantine what fails both DKIM and SPF alignment,
 * relaxed alignment (the MAIL FROM subdomain aligns with its parent).
 */
export const DMARC_POLICY = "v=DMARC1; p=quarantine; adkim=r; aspf=r";

/** SPF of the MAIL FROM subdomain: SES's senders only (SES's documented record). */
export const MAIL_FROM_SPF = "v=spf1 include:amazonses.com ~all";

/** TTL of the records created in Route 53, in seconds. */
const RECORD_TTL_SECONDS = 1800;

/**
 * A domain identity with Easy DKIM (SES generates the keys and rotates them), a custom MAIL FROM
 * subdomain (`mail.<domain>`; if its MX is missing SES falls back to amazonses.com rather than
 * refusing to send) and the records to publish: three DKIM CNAMEs, the MAIL FROM MX and SPF, and
 * DMARC. With a hosted zone the DKIM and MAIL FROM records are created in it; DMARC stays an output,
 * since a domain's DMARC record speaks for all of its mail, not only this pipeline's.
 */
export function createSendingDomain(
    name: string,
    spec: { readonly domain: pulumi.Input<string>; readonly hostedZoneId: pulumi.Input<string> | undefined },
    parent: pulumi.Resource,
    tags: Tags | undefined,
): SendingDomain {
    const domain = pulumi.output(spec.domain);
    const identity = new aws.sesv2.EmailIdentity(`${name}-domain`, { emailIdentity: spec.domain, tags }, { parent });
    const mailFromDomain = pulumi.interpolate`${MAIL_FROM_SUBDOMAIN}.${domain}`;
    const mailFrom = new aws.sesv2.EmailIdentityMailFromAttributes(
        `${name}-mail-from`,
        { emailIdentity: identity.emailIdentity, mailFromDomain, behaviorOnMxFailure: "USE_DEFAULT_VALUE" },
        { parent },
    );
    const dkimRecords = pulumi
        .all([domain, identity.dkimSigningAttributes])
        .apply(([d, dkim]) => (dkim?.tokens ?? []).map((token): DnsRecord => ({ name: `${token}._domainkey.${d}`, type: "CNAME", value: `${token}.dkim.amazonses.com` })));
    const region = regionOfArn(identity.arn);
    const mailFromRecords = pulumi.all([mailFromDomain, region]).apply(([from, r]): DnsRecord[] => [
        { name: from, type: "MX", value: `10 feedback-smtp.${r}.amazonses.com` },
        { name: from, type: "TXT", value: MAIL_FROM_SPF },
    ]);
    const dmarcRecord = domain.apply((d): DnsRecord => ({ name: `_dmarc.${d}`, type: "TXT", value: DMARC_POLICY }));

    const route53Records: aws.route53.Record[] = [];
    if (spec.hostedZoneId !== undefined) {
        const zoneId = spec.hostedZoneId;
        // Easy DKIM always gives three tokens; their names are known only after the identity exists.
        for (const n of [0, 1, 2]) {
            const record = dkimRecords.apply((records) => records[n]);
            route53Records.push(
                new aws.route53.Record(`${name}-dkim-${n}`, { zoneId, name: record.name, type: "CNAME", ttl: RECORD_TTL_SECONDS, records: [record.value] }, { parent }),
            );
        }
        route53Records.push(
            new aws.route53.Record(
                `${name}-mail-from-mx`,
                { zoneId, name: mailFromDomain, type: "MX", ttl: RECORD_TTL_SECONDS, records: [mailFromRecords.apply((r) => r[0].value)] },
                { parent },
            ),
            new aws.route53.Record(`${name}-mail-from-spf`, { zoneId, name: mailFromDomain, type: "TXT", ttl: RECORD_TTL_SECONDS, records: [MAIL_FROM_SPF] }, { parent }),
        );
    }
    return { identity, mailFrom, mailFromDomain, dkimRecords, mailFromRecords, dmarcRecord, route53Records };
}

/**
 * The sender identity: the given verified identity ARN; or, with `email.domain`, a domain identity
 * with Easy DKIM and a custom MAIL FROM (see {@link createSendingDomain}); or else a new SES email
 * identity for the sender address (`${name}-sender`), for quick starts: SES then mails a
 * verification link to that address, and sends nothing until it is clicked.
 */
export function createEmailSender(name: string, email: ComponentEmailOn, parent: pulumi.Resource, tags: Tags | undefined): EmailSender {
    if (email.identityArn !== undefined) {
        return { identity: undefined, identityArn: email.identityArn, sender: email.sender, domain: undefined };
    }
    if (email.domain !== undefined) {
        const domain = createSendingDomain(name, { domain: email.domain, hostedZoneId: email.hostedZoneId }, parent, tags);
        return { identity: domain.identity, identityArn: domain.identity.arn, sender: email.sender, domain };
    }
    const identity = new aws.sesv2.EmailIdentity(`${name}-sender`, { emailIdentity: email.sender, tags }, { parent });
    return { identity, identityArn: identity.arn, sender: email.sender, domain: undefined };
}
