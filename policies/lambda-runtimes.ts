/**
 * When AWS deprecates each Lambda runtime. After that date a runtime gets no security patches and
 * AWS soon blocks creating, then updating, functions on it.
 *
 * Source: AWS Lambda Developer Guide, "Lambda runtimes", tables "Supported runtimes" (projected
 * deprecation dates) and "Deprecated runtimes", https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 * (as of November 2026). Projected dates can move: update this table from that page.
 */
export const RUNTIME_DEPRECATION_DATES: Readonly<Record<string, string>> = {
    // Node.js: nodejs24.x is current; nodejs18.x and older are deprecated.
    "nodejs24.x": "2028-04-30",
    "nodejs22.x": "2027-04-30",
    "nodejs20.x": "2026-04-30",
    "nodejs18.x": "2025-09-01",
    "nodejs16.x": "2024-06-12",
    "nodejs14.x": "2023-12-04",
    "nodejs12.x": "2023-03-31",
    "nodejs10.x": "2021-07-30",
    "nodejs8.10": "2020-03-06",
    "nodejs6.10": "2019-08-12",
    "nodejs4.3": "2020-03-05",
    "nodejs4.3-edge": "2020-03-05",
    nodejs: "2016-10-31",
    // Python: python3.8 and older are deprecated.
    "python3.14": "2029-06-30",
    "python3.13": "2029-06-30",
    "python3.12": "2028-10-31",
    "python3.11": "2026-06-30",
    "python3.10": "2026-06-30",
    "python3.9": "2025-12-15",
    "python3.8": "2024-10-14",
    "python3.7": "2023-12-04",
    "python3.6": "2022-07-18",
    "python2.7": "2021-07-15",
    // Java
    java25: "2029-06-30",
    java21: "2029-06-30",
    java17: "2026-06-30",
    java11: "2026-06-30",
    "java8.al2": "2026-06-30",
    java8: "2024-01-08",
    // .NET
    dotnet10: "2028-11-14",
    dotnet8: "2026-11-10",
    dotnet7: "2024-05-14",
    dotnet6: "2024-11-12",
    "dotnet5.0": "2022-05-10",
    "dotnetcore3.1": "2023-04-03",
    "dotnetcore2.1": "2022-01-05",
    "dotnetcore2.0": "2019-05-30",
    "dotnetcore1.0": "2019-07-27",
    // Ruby
    "ruby3.4": "2028-03-31",
    "ruby3.3": "2027-03-31",
    "ruby3.2": "2026-03-31",
    "ruby2.7": "2023-11-27",
    "ruby2.5": "2021-07-30",
    // OS-only runtimes
    "provided.al2023": "2029-06-30",
    "provided.al2": "2026-06-30",
    provided: "2024-01-08",
    "go1.x": "2024-01-08",
};

/**
 * The deprecation date (`YYYY-MM-DD`) of `runtime` if it is deprecated on `today`, else undefined.
 * A runtime this table does not know is not reported.
 */
export function runtimeDeprecatedOn(runtime: string, today: Date): string | undefined {
    const date = RUNTIME_DEPRECATION_DATES[runtime];
    if (date === undefined) return undefined;
    return Date.parse(`${date}T00:00:00Z`) <= today.getTime() ? date : undefined;
}

/**
 * The newest runtime of each language in the "Supported runtimes" table of the same page (as of
 * November 2026); a test checks each is in the table above and deprecated last of its language.
 */
export const LATEST_RUNTIMES: Readonly<Record<string, string>> = {
    nodejs: "nodejs24.x",
    python: "python3.14",
    java: "java25",
    dotnet: "dotnet10",
    ruby: "ruby3.4",
    provided: "provided.al2023",
};

/** The language of a runtime identifier: `nodejs24.x` -> `nodejs`, `dotnetcore3.1` -> `dotnet`, `go1.x` -> `go`. */
export function runtimeLanguage(runtime: string): string {
    const letters = /^[a-z]+/.exec(runtime)?.[0] ?? runtime;
    return letters.startsWith("dotnet") ? "dotnet" : letters;
}

/** The newest runtime of `runtime`'s language, or undefined for a language without a current runtime (go1.x). */
export function latestRuntimeOf(runtime: string): string | undefined {
    return LATEST_RUNTIMES[runtimeLanguage(runtime)];
}
