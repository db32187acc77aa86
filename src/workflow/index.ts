export * from "./offboarding-workflow";
export * from "./directory-sync";
export * from "./job-runner";
export * from "./suspend-all-job";
export * from "./ports";
export * from "./results";
