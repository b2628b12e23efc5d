import { expect } from "chai";
import { toBatchResponse } from "../../../handlers/process/batch-response";

const records = ["m-1", "m-2", "m-3"].map((messageId) => ({ messageId }));
const ok: PromiseSettledResult<unknown> = { status: "fulfilled", value: 1 };
const failed: PromiseSettledResult<unknown> = { status: "rejected", reason: new Error("x") };

describe("partial batch response", () => {
    it("should list exactly the rejected records by messageId", () => {
        expect(toBatchResponse(records, [ok, failed, ok])).to.deep.equal({ batchItemFailures: [{ itemIdentifier: "m-2" }] });
    });

    it("should list every record when every record failed", () => {
        expect(toBatchResponse(records, [failed, failed, failed]).batchItemFailures.map((f) => f.itemIdentifier)).to.deep.equal(["m-1", "m-2", "m-3"]);
    });

    it("should list none when all succeeded, and every record when results do not match the records", () => {
        expect(toBatchResponse(records, [ok, ok, ok])).to.deep.equal({ batchItemFailures: [] });
        expect(toBatchResponse(records, [ok])).to.deep.equal({ batchItemFailures: records.map((r) => ({ itemIdentifier: r.messageId })) });
    });
});
