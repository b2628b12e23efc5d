import { expect } from "chai";
import { Type } from "typebox";
describe("smoke", () => {
  it("runs on node 24", () => {
    expect(process.versions.node.split(".")[0]).to.equal("24");
    expect(Type.String()).to.have.property("type", "string");
  });
});
