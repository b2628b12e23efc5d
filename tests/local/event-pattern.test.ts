/**
 * The local bus's pattern matcher against the Amazon EventBridge User Guide's own examples: each
 * row is a pattern from the guide (pages "Content filtering in event patterns", "Comparison
 * operators for use in event patterns", "Arrays in event patterns", "Matching null values and
 * empty strings") with events it says match or do not match. Rows marked with the Event Ruler
 * README come from the open-source matcher EventBridge documents as its engine.
 */
import { expect } from "chai";
import { compileEventPattern, EventPatternError } from "../../local/emulators/eventbridge/event-pattern";

interface Row {
    readonly from: string;
    readonly pattern: unknown;
    readonly matches: readonly unknown[];
    readonly misses: readonly unknown[];
}

/** The guide's sample EC2 event (Event Ruler README and "Content filtering"). */
const EC2_EVENT = {
    version: "0",
    id: "ddddd4-aaaa-7777-4444-345dd43cc333",
    "detail-type": "EC2 Instance State-change Notification",
    source: "aws.ec2",
    account: "012345679012",
    time: "2017-10-02T16:24:49Z",
    region: "us-east-1",
    resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
    detail: { "c-count": 5, "d-count": 3, "x-limit": 301.8, "source-ip": "10.0.0.33", "instance-id": "i-000000aaaaaa00000", state: "running" },
};

const detail = (fields: Record<string, unknown>) => ({ ...EC2_EVENT, detail: fields });
const top = (fields: Record<string, unknown>) => ({ version: "0", source: "shop", "detail-type": "x", ...fields });

const ROWS: readonly Row[] = [
    // "Content filtering": prefix matching.
    { from: "prefix", pattern: { time: [{ prefix: "2017-10-02" }] }, matches: [{ time: "2017-10-02T18:43:48Z" }], misses: [{ time: "2017-10-03T18:43:48Z" }, { time: 20171002 }, {}] },
    // "Content filtering": anything-but with a string, a number, lists, a prefix.
    {
        from: "anything-but (string)",
        pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
        matches: [detail({ state: "running" })],
        misses: [detail({ state: "initializing" }), detail({})],
    },
    { from: "anything-but (number)", pattern: { detail: { "x-limit": [{ "anything-but": 123 }] } }, matches: [detail({ "x-limit": 456 })], misses: [detail({ "x-limit": 123 })] },
    {
        from: "anything-but (list of strings)",
        pattern: { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } },
        matches: [detail({ state: "running" })],
        misses: [detail({ state: "stopped" }), detail({ state: "overloaded" })],
    },
    {
        from: "anything-but (list of numbers)",
        pattern: { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } },
        matches: [detail({ "x-limit": 150 })],
        misses: [detail({ "x-limit": 200 })],
    },
    {
        from: "anything-but prefix",
        pattern: { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
        matches: [detail({ state: "running" })],
        misses: [detail({ state: "initializing" })],
    },
    // "Content filtering": numeric matching, all fields must hold.
    {
        from: "numeric",
        pattern: { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }], "d-count": [{ numeric: ["<", 10] }], "x-limit": [{ numeric: ["=", 3.018e2] }] } },
        matches: [EC2_EVENT],
        misses: [detail({ "c-count": 0, "d-count": 3, "x-limit": 301.8 }), detail({ "c-count": 6, "d-count": 3, "x-limit": 301.8 }), detail({ "c-count": 5, "d-count": 3, "x-limit": "301.8" })],
    },
    // "Content filtering": IP address matching.
    {
        from: "cidr",
        pattern: { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } },
        matches: [detail({ sourceIPAddress: "10.0.0.0" }), detail({ sourceIPAddress: "10.0.0.255" })],
        misses: [detail({ sourceIPAddress: "10.0.1.0" }), detail({ sourceIPAddress: "not an address" })],
    },
    { from: "cidr (IPv6, Event Ruler README)", pattern: { ip: [{ cidr: "2001:db8::/32" }] }, matches: [{ ip: "2001:db8:0:1::5" }], misses: [{ ip: "2001:db9::1" }, { ip: "10.0.0.1" }] },
    // "Content filtering": exists matching.
    {
        from: "exists true",
        pattern: { detail: { state: [{ exists: true }] } },
        matches: [{ ...EC2_EVENT, detail: { "instance-id": "i-abcd1111", state: "pending" } }],
        misses: [{ "detail-type": ["EC2 Instance State-change Notification"], detail: { "c-count": { c1: 100 } } }],
    },
    {
        from: "exists false (a non-leaf field counts as absent)",
        pattern: { detail: { "c-count": [{ exists: false }] } },
        matches: [{ detail: { state: ["initializing", "running"] } }, { detail: { state: ["initializing", "running"], "c-count": { c1: 100 } } }],
        misses: [EC2_EVENT],
    },
    // "Content filtering": complex example (with the Event Ruler README's cidr line).
    {
        from: "complex example",
        pattern: {
            time: [{ prefix: "2017-10-02" }],
            detail: {
                state: [{ "anything-but": "initializing" }],
                "c-count": [{ numeric: [">", 0, "<=", 5] }],
                "d-count": [{ numeric: ["<", 10] }],
                "x-limit": [{ "anything-but": [100, 200, 300] }],
                "source-ip": [{ cidr: "10.0.0.0/8" }],
            },
        },
        matches: [EC2_EVENT],
        misses: [{ ...EC2_EVENT, time: "2017-10-03T00:00:00Z" }, detail({ ...EC2_EVENT.detail, "x-limit": 200 })],
    },
    // "Matching null values and empty strings".
    {
        from: "empty string",
        pattern: { detail: { eventVersion: [""] } },
        matches: [{ detail: { eventVersion: "", responseElements: null } }],
        misses: [{ detail: { eventVersion: null } }, { detail: {} }],
    },
    { from: "null", pattern: { detail: { responseElements: [null] } }, matches: [{ detail: { eventVersion: "", responseElements: null } }], misses: [{ detail: { responseElements: "" } }, { detail: {} }] },
    // "Arrays in event patterns": an event array matches when the intersection is non-empty.
    {
        from: "arrays",
        pattern: {
            resources: [
                "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
                "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
                "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f",
            ],
        },
        matches: [
            {
                resources: [
                    "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate",
                    "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
                ],
            },
        ],
        misses: [{ resources: ["arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f"] }, { resources: [] }],
    },
    // Event Ruler README, "JSON Array Matching": fields never come from two different elements.
    {
        from: "array consistency",
        pattern: { employees: { firstName: ["Anna"], lastName: ["Smith"] } },
        matches: [{ employees: [{ firstName: "John", lastName: "Doe" }, { firstName: "Anna", lastName: "Smith" }] }],
        misses: [{ employees: [{ firstName: "Anna", lastName: "Doe" }, { firstName: "Peter", lastName: "Smith" }] }],
    },
    // "Comparison operators": one row per operator of the table.
    { from: "And", pattern: { Location: ["New York"], Day: ["Monday"] }, matches: [top({ Location: "New York", Day: "Monday" })], misses: [top({ Location: "New York", Day: "Tuesday" })] },
    { from: "Anything-but (ends with)", pattern: { FileName: [{ "anything-but": { suffix: ".png" } }] }, matches: [top({ FileName: "a.jpg" })], misses: [top({ FileName: "a.png" })] },
    {
        from: "Anything-but (ignore case)",
        pattern: { state: [{ "anything-but": { "equals-ignore-case": "initializing" } }] },
        matches: [top({ state: "running" })],
        misses: [top({ state: "INITIALIZING" }), top({ state: "Initializing" })],
    },
    {
        from: "Anything-but (ignore case, list)",
        pattern: { state: [{ "anything-but": { "equals-ignore-case": ["stopped", "overloaded"] } }] },
        matches: [top({ state: "running" })],
        misses: [top({ state: "Stopped" })],
    },
    {
        from: "Anything-but using a wildcard",
        pattern: { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] },
        matches: [top({ FilePath: "/usr/bin/node" })],
        misses: [top({ FilePath: "/usr/lib/node" })],
    },
    { from: "Begins with", pattern: { Region: [{ prefix: "us-" }] }, matches: [top({ Region: "us-east-1" })], misses: [top({ Region: "eu-west-1" })] },
    {
        from: "Begins with (ignore case)",
        pattern: { service: [{ prefix: { "equals-ignore-case": "eventb" } }] },
        matches: [top({ service: "EventBridge" }), top({ service: "EVENTBRIDGE" })],
        misses: [top({ service: "Lambda" })],
    },
    { from: "Empty", pattern: { LastName: [""] }, matches: [top({ LastName: "" })], misses: [top({ LastName: "Lovelace" }), top({ LastName: null })] },
    { from: "Equals", pattern: { Name: ["Alice"] }, matches: [top({ Name: "Alice" })], misses: [top({ Name: "alice" })] },
    { from: "Equals (ignore case)", pattern: { Name: [{ "equals-ignore-case": "alice" }] }, matches: [top({ Name: "Alice" }), top({ Name: "ALICE" })], misses: [top({ Name: "Alicia" })] },
    { from: "Ends with", pattern: { FileName: [{ suffix: ".png" }] }, matches: [top({ FileName: "cat.png" })], misses: [top({ FileName: "cat.PNG" })] },
    {
        from: "Ends with (ignore case)",
        pattern: { service: [{ suffix: { "equals-ignore-case": "tbridge" } }] },
        matches: [top({ service: "EventBridge" }), top({ service: "EVENTBRIDGE" })],
        misses: [top({ service: "Lambda" })],
    },
    { from: "Exists", pattern: { ProductName: [{ exists: true }] }, matches: [top({ ProductName: "book" })], misses: [top({})] },
    { from: "Does not exist", pattern: { ProductName: [{ exists: false }] }, matches: [top({})], misses: [top({ ProductName: "book" })] },
    { from: "Not", pattern: { Weather: [{ "anything-but": ["Raining"] }] }, matches: [top({ Weather: "Sunny" })], misses: [top({ Weather: "Raining" }), top({})] },
    { from: "Null", pattern: { UserID: [null] }, matches: [top({ UserID: null })], misses: [top({ UserID: "u1" }), top({})] },
    { from: "Numeric (equals)", pattern: { Price: [{ numeric: ["=", 100] }] }, matches: [top({ Price: 100 }), top({ Price: 100.0 })], misses: [top({ Price: 101 }), top({ Price: "100" })] },
    { from: "Numeric (range)", pattern: { Price: [{ numeric: [">", 10, "<=", 20] }] }, matches: [top({ Price: 20 }), top({ Price: 10.5 })], misses: [top({ Price: 10 }), top({ Price: 21 })] },
    { from: "Or", pattern: { PaymentType: ["Credit", "Debit"] }, matches: [top({ PaymentType: "Debit" })], misses: [top({ PaymentType: "Cash" })] },
    {
        from: "Or (multiple fields)",
        pattern: { $or: [{ Location: ["New York"] }, { Day: ["Monday"] }] },
        matches: [top({ Location: "New York", Day: "Sunday" }), top({ Location: "Paris", Day: "Monday" })],
        misses: [top({ Location: "Paris", Day: "Sunday" })],
    },
    {
        from: "Wildcard",
        pattern: { FileName: [{ wildcard: "dir/*.png" }] },
        matches: [top({ FileName: "dir/cat.png" }), top({ FileName: "dir/a/b.png" }), top({ FileName: "dir/.png" })],
        misses: [top({ FileName: "dir/cat.jpg" }), top({ FileName: "other/cat.png" })],
    },
    // Event Ruler README: escaped wildcard characters.
    { from: "wildcard escapes", pattern: { s: [{ wildcard: "a\\*b*" }] }, matches: [{ s: "a*bc" }], misses: [{ s: "axbc" }] },
    // Event Ruler README: "$or" rules.
    {
        from: "$or nested with And",
        pattern: {
            source: ["aws.cloudwatch"],
            $or: [
                { metricName: ["CPUUtilization", "ReadLatency"] },
                { metricType: ["MetricType"], namespace: ["AWS/EC2", "AWS/ES"], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
                { scope: ["Service"] },
            ],
        },
        matches: [
            { source: "aws.cloudwatch", metricName: "ReadLatency" },
            { source: "aws.cloudwatch", metricType: "MetricType", namespace: "AWS/ES", spaceId: 1000 },
            { source: "aws.cloudwatch", scope: "Service" },
        ],
        misses: [
            { source: "aws.ec2", scope: "Service" },
            { source: "aws.cloudwatch", metricType: "MetricType", namespace: "AWS/ES", spaceId: 999 },
        ],
    },
    {
        from: "parallel $or",
        pattern: {
            $or: [{ metricName: ["CPUUtilization"] }, { namespace: ["AWS/EC2"] }],
            detail: { $or: [{ source: ["aws.cloudwatch"] }, { "detail-type": ["CloudWatch Alarm State Change"] }] },
        },
        matches: [{ namespace: "AWS/EC2", detail: { "detail-type": "CloudWatch Alarm State Change" } }],
        misses: [{ namespace: "AWS/EC2", detail: { source: "aws.ec2" } }],
    },
];

/** Patterns EventBridge refuses, or that this matcher does not match: each must be refused by name. */
const REFUSED: ReadonlyArray<readonly [string, unknown, RegExp]> = [
    ["an unknown operator", { a: [{ contains: "x" }] }, /a\[0\]: the operator "contains" is not supported/],
    ["two operators in one object", { a: [{ prefix: "x", suffix: "y" }] }, /exactly one operator/],
    ["consecutive wildcards", { a: [{ wildcard: "a**b" }] }, /consecutive wildcard characters/],
    ["a backslash escaping another character", { a: [{ wildcard: "a\\b" }] }, /may only escape/],
    ["a numeric value out of range", { a: [{ numeric: [">", 6e9] }] }, /outside EventBridge's range/],
    ["an empty numeric range", { a: [{ numeric: [">", 5, "<", 1] }] }, /is empty/],
    ["two lower bounds", { a: [{ numeric: [">", 1, ">=", 2] }] }, /two lower bounds/],
    ["a mixed anything-but list", { a: [{ "anything-but": ["x", 1] }] }, /only strings or only numbers/],
    ["anything-but with an unknown form", { a: [{ "anything-but": { numeric: [">", 1] } }] }, /does not support "numeric"/],
    ["an empty match list", { a: [] }, /a: must list at least one match value/],
    ["a bare value", { detail: { a: "x" } }, /detail\.a: must be an array/],
    ["$or with one pattern", { $or: [{ a: ["x"] }] }, /\$or takes a list of at least two patterns/],
    ["exists with a string", { a: [{ exists: "yes" }] }, /exists: expects true or false/],
    ["a malformed cidr", { a: [{ cidr: "10.0.0.0/33" }] }, /cidr expects/],
    ["an empty pattern", {}, /must not be empty/],
    ["a pattern that is not JSON", "{not json", /not valid JSON/],
];

describe("EventBridge event patterns (the guide's own examples)", () => {
    for (const row of ROWS) {
        it(`should match as documented: ${row.from}`, () => {
            const pattern = compileEventPattern(JSON.stringify(row.pattern));
            for (const event of row.matches) expect(pattern.matches(event), `${JSON.stringify(row.pattern)} should match ${JSON.stringify(event)}`).to.equal(true);
            for (const event of row.misses) expect(pattern.matches(event), `${JSON.stringify(row.pattern)} should not match ${JSON.stringify(event)}`).to.equal(false);
        });
    }

    for (const [what, pattern, message] of REFUSED) {
        it(`should refuse ${what} with a clear error`, () => {
            expect(() => compileEventPattern(typeof pattern === "string" ? pattern : JSON.stringify(pattern)))
                .to.throw(EventPatternError)
                .with.property("message")
                .that.matches(message);
        });
    }
});
