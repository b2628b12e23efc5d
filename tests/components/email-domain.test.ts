import { expect } from "chai";
import { OrderPipelineArgsError } from "../../contract/problems";
import { ENV } from "../../contract/environment";
import { MOCK_REGION, MOCK_STACK } from "../support/pulumi-mocks";
import { recordPipeline, T, valueOf, type RecordedPipeline } from "./pipeline-fixture";

const E = {
    mailFrom: "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes",
    configurationSet: "aws:sesv2/configurationSet:ConfigurationSet",
    suppression: "aws:sesv2/accountSuppressionAttributes:AccountSuppressionAttributes",
    record: "aws:route53/record:Record",
} as const;

const DOMAIN = "shop.example.com";
const SENDER = `orders@${DOMAIN}`;
const ZONE = "Z0123456789ABCDEFGHIJ";

describe("OrderPipeline email: a sending domain, a configuration set, suppression and reputation alarms", () => {
    describe("with email.domain and a hosted zone", () => {
        let p: RecordedPipeline;
        before(async () => {
            p = await recordPipeline({ email: { sender: SENDER, domain: DOMAIN, hostedZoneId: ZONE } });
        });

        it("should create a domain identity (Easy DKIM) instead of an address identity, and send as it with the From condition unchanged", () => {
            const identity = p.get(T.emailIdentity, "orders-domain");
            expect(identity.inputs.emailIdentity).to.equal(DOMAIN);
            // Easy DKIM is SES's default for a domain: no own keys are given.
            expect(identity.inputs.dkimSigningAttributes).to.equal(undefined);
            expect(p.resources.filter((r) => r.type === T.emailIdentity).map((r) => r.name)).to.deep.equal(["orders-domain"]);
            const send = p.statements("process").find((s: any) => s.Sid === "SendOrderEmail");
            expect(send.Resource).to.equal(identity.state.arn);
            expect(send.Condition).to.deep.equal({ StringEquals: { "ses:FromAddress": SENDER } });
        });

        it("should set a custom MAIL FROM subdomain that falls back to SES's own when its MX is missing", () => {
            expect(p.get(E.mailFrom, "orders-mail-from").inputs).to.deep.include({ emailIdentity: DOMAIN, mailFromDomain: `mail.${DOMAIN}`, behaviorOnMxFailure: "USE_DEFAULT_VALUE" });
        });

        it("should output the three DKIM CNAMEs, the MAIL FROM MX and SPF, and DMARC, and create all but DMARC in the zone", async () => {
            const records = await valueOf(p.pipeline.emailDnsRecords!);
            const tokens = p.get(T.emailIdentity, "orders-domain").state.dkimSigningAttributes.tokens as string[];
            expect(records.dkim).to.deep.equal(tokens.map((t) => ({ name: `${t}._domainkey.${DOMAIN}`, type: "CNAME", value: `${t}.dkim.amazonses.com` })));
            expect(records.mailFrom).to.deep.equal([
                { name: `mail.${DOMAIN}`, type: "MX", value: `10 feedback-smtp.${MOCK_REGION}.amazonses.com` },
                { name: `mail.${DOMAIN}`, type: "TXT", value: "v=spf1 include:amazonses.com ~all" },
            ]);
            expect(records.dmarc).to.deep.equal({ name: `_dmarc.${DOMAIN}`, type: "TXT", value: "v=DMARC1; p=quarantine; adkim=r; aspf=r" });
            const created = p.resources.filter((r) => r.type === E.record).map((r) => ({ zone: r.inputs.zoneId, name: r.inputs.name, type: r.inputs.type, records: r.inputs.records }));
            expect(created).to.have.deep.members([
                ...records.dkim.map((d) => ({ zone: ZONE, name: d.name, type: "CNAME", records: [d.value] })),
                ...records.mailFrom.map((m) => ({ zone: ZONE, name: m.name, type: m.type, records: [m.value] })),
            ]);
        });
    });

    it("should output the records but create none in Route 53 without a hosted zone", async () => {
        const p = await recordPipeline({ email: { sender: SENDER, domain: DOMAIN } });
        expect(p.resources.filter((r) => r.type === E.record)).to.have.length(0);
        expect((await valueOf(p.pipeline.emailDnsRecords!)).dkim).to.have.length(3);
    });

    it("should keep the address identity for a quick start, without DNS records", async () => {
        const p = await recordPipeline({ email: { sender: SENDER } });
        expect(p.get(T.emailIdentity, "orders-sender").inputs.emailIdentity).to.equal(SENDER);
        expect(p.resources.filter((r) => r.type === E.mailFrom)).to.have.length(0);
        expect(p.pipeline.emailDnsRecords).to.equal(undefined);
    });

    describe("the configuration set", () => {
        let p: RecordedPipeline;
        before(async () => {
            p = await recordPipeline({ email: { sender: SENDER } });
        });

        it("should publish reputation metrics, suppress bounces and complaints, and be named on every send", async () => {
            const set = p.get(E.configurationSet, "orders-email-config");
            expect(set.inputs).to.deep.include({
                configurationSetName: `orders-${MOCK_STACK}`,
                reputationOptions: { reputationMetricsEnabled: true },
                suppressionOptions: { suppressedReasons: ["BOUNCE", "COMPLAINT"] },
            });
            expect(p.get(T.function, "orders-process").inputs.environment.variables[ENV.emailConfigurationSet]).to.equal(`orders-${MOCK_STACK}`);
            expect(await valueOf(p.pipeline.emailConfigurationSetName!)).to.equal(`orders-${MOCK_STACK}`);
        });

        it("should let ProcessOrder send through that configuration set only (SES v2 authorizes SendEmail on it too)", () => {
            const statement = p.statements("process").find((s: any) => s.Sid === "SendThroughConfigurationSet");
            expect(statement).to.deep.equal({
                Sid: "SendThroughConfigurationSet",
                Effect: "Allow",
                Action: ["ses:SendEmail"],
                Resource: p.get(E.configurationSet, "orders-email-config").state.arn,
                Condition: { StringEquals: { "ses:FromAddress": SENDER } },
            });
        });

        it("should turn on account-level suppression for bounces and complaints", () => {
            expect(p.get(E.suppression, "orders-email-suppression").inputs).to.deep.equal({ suppressedReasons: ["BOUNCE", "COMPLAINT"] });
        });

        it("should alarm on the account's bounce and complaint rates at SES's warning levels, to the alarm topic", () => {
            const topic = p.get(T.topic, "orders-alarms").state.arn;
            const bounce = p.get(T.alarm, "orders-ses-bounce-rate-alarm").inputs;
            const complaint = p.get(T.alarm, "orders-ses-complaint-rate-alarm").inputs;
            expect(bounce).to.deep.include({ namespace: "AWS/SES", metricName: "Reputation.BounceRate", threshold: 0.05, comparisonOperator: "GreaterThanThreshold" });
            expect(complaint).to.deep.include({ namespace: "AWS/SES", metricName: "Reputation.ComplaintRate", threshold: 0.001 });
            expect(bounce.alarmActions).to.deep.equal([topic]);
            expect(complaint.alarmActions).to.deep.equal([topic]);
            expect(p.pipeline.alarms).to.have.property("ses-bounce-rate");
        });
    });

    it("should add no configuration set, suppression or SES alarm when email is off", async () => {
        const p = await recordPipeline({});
        expect(p.resources.filter((r) => ([E.configurationSet, E.suppression] as string[]).includes(r.type))).to.have.length(0);
        expect(Object.keys(p.pipeline.alarms).filter((k) => k.startsWith("ses-"))).to.deep.equal([]);
    });

    describe("validation", () => {
        const problemsOf = async (email: object): Promise<string> => {
            try {
                await recordPipeline({ email } as never);
            } catch (err) {
                if (err instanceof OrderPipelineArgsError) return err.message;
                throw err;
            }
            return "";
        };

        it("should name both arguments when the sender is not in the domain", async () => {
            expect(await problemsOf({ sender: "orders@other.org", domain: DOMAIN })).to.include(`email.sender (orders@other.org) must be an address in email.domain (${DOMAIN})`);
        });

        it("should refuse a hosted zone without a domain, a domain with an identity ARN, and malformed values", async () => {
            expect(await problemsOf({ sender: SENDER, hostedZoneId: ZONE })).to.include("email.hostedZoneId needs email.domain");
            expect(await problemsOf({ sender: SENDER, domain: DOMAIN, identityArn: `arn:aws:ses:us-east-1:123456789012:identity/${DOMAIN}` })).to.include(
                "email.domain and email.identityArn are mutually exclusive",
            );
            expect(await problemsOf({ sender: "a@b", domain: "not a domain" })).to.include("email.domain must be a domain name");
            expect(await problemsOf({ sender: SENDER, domain: DOMAIN, hostedZoneId: "zone-1" })).to.include("email.hostedZoneId must be a Route 53 hosted zone id");
        });
    });
});
