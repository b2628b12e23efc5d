import { expect } from "chai";
import * as path from "node:path";
import { DEFAULT_PORT, parseStartOptions } from "../../local/start/start-options";

describe("npm start options", () => {
    it("should default to port 3000, in-memory data, email on, status line on", () => {
        const options = parseStartOptions([], {});
        expect(options).to.deep.include({ port: DEFAULT_PORT, keepData: false, printLogs: false, status: true, help: false });
        expect(DEFAULT_PORT).to.equal(3000);
        expect(options.email, "left to the stack or the default sender").to.equal(undefined);
        expect(options.stack).to.equal(undefined);
        expect(path.basename(options.localDir)).to.equal(".local-data");
    });

    it("should take the port from PORT, and a flag over PORT", () => {
        expect(parseStartOptions([], { PORT: "8080" }).port).to.equal(8080);
        expect(parseStartOptions(["--port", "0"], { PORT: "8080" }).port).to.equal(0);
        expect(parseStartOptions(["-p", "4000"], {}).port).to.equal(4000);
    });

    it("should read --keep-data, --local-dir, --no-email, --email-sender, --quiet, --print-logs", () => {
        const options = parseStartOptions(["--keep-data", "--local-dir", "/tmp/x", "--quiet", "--print-logs", "--email-sender", "shop@example.org"], {});
        expect(options).to.deep.include({ keepData: true, localDir: "/tmp/x", status: false, printLogs: true });
        expect(options.email).to.deep.equal({ enabled: true, sender: "shop@example.org" });
        expect(parseStartOptions(["--no-email"], {}).email).to.deep.equal({ enabled: false });
        expect(parseStartOptions(["--stack", "dev"], {}).stack).to.equal("dev");
        expect(parseStartOptions([], { ORDER_PIPELINE_LOCAL_DIR: "/tmp/y" }).localDir).to.equal("/tmp/y");
    });

    it("should reject a bad port, an unknown flag, a bad sender and contradictory email flags, naming the fault", () => {
        expect(() => parseStartOptions(["--port", "70000"], {})).to.throw("--port must be a port number from 0 to 65535");
        expect(() => parseStartOptions([], { PORT: "http" })).to.throw("PORT must be a port number");
        expect(() => parseStartOptions(["--verbose"], {})).to.throw(/verbose/);
        expect(() => parseStartOptions(["--email-sender", "nobody"], {})).to.throw("--email-sender must be an email address");
        expect(() => parseStartOptions(["--no-email", "--email-sender", "a@b.co"], {})).to.throw("mutually exclusive");
        expect(() => parseStartOptions(["--stack", "../etc"], {})).to.throw("--stack must be a stack name");
    });
});
