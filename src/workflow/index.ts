export * from "./offboarding-workflow";
export * from "./directory-sync";
export * from "./job-runner";
export { noteCase, notePartnerCenterRequest } from "./job-trace";
export * from "./suspend-all-job";
export * from "./gdap-ending-job";
export * from "./ports";
export * from "./results";
export * from "./portfolio-scan-job";
