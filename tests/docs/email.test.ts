import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { RETRY_BASE_DELAY_SECONDS, retryMaxDelaySeconds, VISIBILITY_TIMEOUT_SECONDS } from "../../contract/defaults";
import { DMARC_POLICY, MAIL_FROM_SPF, MAIL_FROM_SUBDOMAIN } from "../../components/email";
import { SES_WARNING_BOUNCE_RATE, SES_WARNING_COMPLAINT_RATE } from "../../components/email-reputation";
import { ROOT } from "./markdown";

const page = (name: string) => fs.readFileSync(path.join(ROOT, "docs", name), "utf8");

describe("docs/email.md and the retry backoff in docs/operations.md", () => {
    it("should show the DMARC, SPF and MAIL FROM values the component publishes", () => {
        const email = page("email.md");
        expect(email).to.include(DMARC_POLICY);
        expect(email).to.include(MAIL_FROM_SPF);
        expect(email).to.include(`${MAIL_FROM_SUBDOMAIN}.example.com`);
    });

    it("should show the reputation alarms' thresholds", () => {
        const email = page("email.md");
        expect(email).to.include(`above ${SES_WARNING_BOUNCE_RATE * 100} %`);
        expect(email).to.include(`above ${SES_WARNING_COMPLAINT_RATE * 100} %`);
    });

    it("should show the backoff's delays as the code computes them", () => {
        const operations = page("operations.md");
        const base = RETRY_BASE_DELAY_SECONDS;
        expect(operations).to.include(`after ${base / 2} to ${base} s (base ${base} s`);
        expect(operations).to.include(`(${retryMaxDelaySeconds(VISIBILITY_TIMEOUT_SECONDS)} s with the defaults)`);
        // The third receive: after the first delay's floor plus the second's, up to both ceilings.
        expect(operations).to.include(`comes ${base / 2 + base} to ${base + 2 * base} s after the first`);
        expect(operations).to.include(`came ${VISIBILITY_TIMEOUT_SECONDS} s after the first`);
    });
});
