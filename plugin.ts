/**
 * The package's entry in TypeScript, twin of plugin.js (the package's `main`): Pulumi's schema
 * inference maps `main` to this file and follows its exports to OrderPipeline, whose constructor
 * arguments and public fields become the package schema for the other languages.
 */
export * from "./components";
