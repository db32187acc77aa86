export * from "./offboarding-workflow";
export * from "./directory-sync";
export * from "./suspend-all-runner";
export * from "./ports";
export * from "./results";
