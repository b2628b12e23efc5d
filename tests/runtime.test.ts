import { expect } from "chai";

describe("test runtime", () => {
    it("should run on the Node.js major that Lambda runs (nodejs24.x)", () => {
        expect(process.versions.node.split(".")[0]).to.equal("24");
    });
});
