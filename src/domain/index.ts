export * from "./customer";
export * from "./preconditions";
export * from "./removal-case";
export * from "./policy";
export * from "./consequences";
