import { expect } from "chai";
import { clfTime } from "../../local/api/http-api-event";

describe("the local HTTP API's requestContext.time", () => {
    it("should name every month as API Gateway does, in UTC", () => {
        for (let month = 0; month < 12; month++) {
            const epochMs = Date.UTC(2026, month, 3, 4, 5, 6);
            const name = new Date(epochMs).toLocaleString("en-US", { month: "short", timeZone: "UTC" });
            expect(clfTime(epochMs)).to.equal(`03/${name}/2026:04:05:06 +0000`);
        }
    });
});
