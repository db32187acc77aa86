export * from "./customer";
export * from "./classification";
export * from "./blockers";
export * from "./subscription-rules";
export * from "./preconditions";
export * from "./removal-case";
export * from "./policy";
export * from "./consequences";
