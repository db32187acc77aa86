// Slack's Block Kit limits, as the Web API enforces them: a message, modal or Home tab past them
// is refused with invalid_blocks (and the reasons, as Slack lists them in response_metadata).
// Only what this app's builders can produce is modelled; an unknown block or element type is
// refused too, so a new kind of block gets a rule here before it ships.

export type Surface = "message" | "modal" | "home";

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

class Checker {
  readonly problems: string[] = [];
  private readonly actionIds = new Set<string>();
  private readonly blockIds = new Set<string>();

  fail(path: string, problem: string): void {
    this.problems.push(`${problem} [json-pointer:${path}]`);
  }

  text(value: unknown, path: string, max: number, plainOnly = false): void {
    if (!isObject(value) || (value.type !== "plain_text" && value.type !== "mrkdwn")) return this.fail(path, "must be a text object");
    if (plainOnly && value.type !== "plain_text") return this.fail(`${path}/type`, "must be plain_text");
    if (typeof value.text !== "string" || value.text.length === 0) return this.fail(`${path}/text`, "must be a non-empty string");
    if (value.text.length > max) this.fail(`${path}/text`, `must be less than ${max + 1} characters`);
  }

  actionId(value: unknown, path: string): void {
    if (typeof value !== "string" || value.length === 0 || value.length > 255) return this.fail(path, "must be 1 to 255 characters");
    if (this.actionIds.has(value)) this.fail(path, `action_id ${value} is already used in this view`);
    this.actionIds.add(value);
  }

  blockId(value: unknown, path: string): void {
    if (value === undefined) return;
    if (typeof value !== "string" || value.length > 255) return this.fail(path, "must be at most 255 characters");
    if (this.blockIds.has(value)) this.fail(path, `block_id ${value} is already used`);
    this.blockIds.add(value);
  }

  confirm(value: unknown, path: string): void {
    if (!isObject(value)) return this.fail(path, "must be a confirm object");
    this.text(value.title, `${path}/title`, 100, true);
    this.text(value.text, `${path}/text`, 300, true);
    this.text(value.confirm, `${path}/confirm`, 30, true);
    this.text(value.deny, `${path}/deny`, 30, true);
    if (value.style !== undefined && value.style !== "primary" && value.style !== "danger") this.fail(`${path}/style`, "must be primary or danger");
  }

  element(value: unknown, path: string): void {
    if (!isObject(value)) return this.fail(path, "must be an element");
    if (value.type === "button") {
      this.text(value.text, `${path}/text`, 75, true);
      this.actionId(value.action_id, `${path}/action_id`);
      if (value.value !== undefined && (typeof value.value !== "string" || value.value.length > 2000)) this.fail(`${path}/value`, "must be at most 2000 characters");
      if (value.url !== undefined && (typeof value.url !== "string" || value.url.length > 3000)) this.fail(`${path}/url`, "must be at most 3000 characters");
      if (value.style !== undefined && value.style !== "primary" && value.style !== "danger") this.fail(`${path}/style`, "must be primary or danger");
      if (value.accessibility_label !== undefined && (typeof value.accessibility_label !== "string" || value.accessibility_label.length > 75)) this.fail(`${path}/accessibility_label`, "must be at most 75 characters");
      if (value.confirm !== undefined) this.confirm(value.confirm, `${path}/confirm`);
      return;
    }
    if (value.type === "plain_text_input") {
      this.actionId(value.action_id, `${path}/action_id`);
      for (const key of ["min_length", "max_length"]) {
        const n = value[key];
        if (n !== undefined && (typeof n !== "number" || n < 0 || n > 3000)) this.fail(`${path}/${key}`, "must be from 0 to 3000");
      }
      if (value.placeholder !== undefined) this.text(value.placeholder, `${path}/placeholder`, 150, true);
      return;
    }
    if (value.type === "checkboxes") {
      this.actionId(value.action_id, `${path}/action_id`);
      if (!Array.isArray(value.options) || value.options.length === 0 || value.options.length > 10) return this.fail(`${path}/options`, "must be 1 to 10 items");
      const values = new Set<string>();
      value.options.forEach((option, i) => {
        const at = `${path}/options/${i}`;
        if (!isObject(option)) return this.fail(at, "must be an option object");
        this.text(option.text, `${at}/text`, 75);
        if (option.description !== undefined) this.text(option.description, `${at}/description`, 75);
        if (typeof option.value !== "string" || option.value.length === 0 || option.value.length > 150) return this.fail(`${at}/value`, "must be 1 to 150 characters");
        values.add(option.value);
      });
      // the options ticked to begin with are some of the options
      if (value.initial_options !== undefined && (!Array.isArray(value.initial_options) || value.initial_options.some((o) => !isObject(o) || !values.has(String(o.value))))) {
        this.fail(`${path}/initial_options`, "must be among the options");
      }
      return;
    }
    if (value.type === "multi_static_select") return this.multiSelect(value, path);
    this.fail(`${path}/type`, `unsupported element type ${String(value.type)}`);
  }

  /** Slack's limits: 100 options, or up to 100 groups of 100; option text 75, value 150 characters. */
  multiSelect(value: Json, path: string): void {
    this.actionId(value.action_id, `${path}/action_id`);
    if (value.placeholder !== undefined) this.text(value.placeholder, `${path}/placeholder`, 150, true);
    const max = value.max_selected_items;
    if (max !== undefined && (typeof max !== "number" || !Number.isInteger(max) || max < 1)) this.fail(`${path}/max_selected_items`, "must be a positive integer");
    if ((value.options === undefined) === (value.option_groups === undefined)) return this.fail(path, "must have either options or option_groups");
    const options = (list: unknown, at: string) => {
      if (!Array.isArray(list) || list.length === 0 || list.length > 100) return this.fail(at, "must be 1 to 100 items");
      list.forEach((option, i) => {
        if (!isObject(option)) return this.fail(`${at}/${i}`, "must be an option object");
        this.text(option.text, `${at}/${i}/text`, 75, true);
        if (typeof option.value !== "string" || option.value.length === 0 || option.value.length > 150) this.fail(`${at}/${i}/value`, "must be 1 to 150 characters");
      });
    };
    if (value.options !== undefined) return options(value.options, `${path}/options`);
    if (!Array.isArray(value.option_groups) || value.option_groups.length === 0 || value.option_groups.length > 100) return this.fail(`${path}/option_groups`, "must be 1 to 100 items");
    value.option_groups.forEach((group, i) => {
      if (!isObject(group)) return this.fail(`${path}/option_groups/${i}`, "must be an option group");
      this.text(group.label, `${path}/option_groups/${i}/label`, 75, true);
      options(group.options, `${path}/option_groups/${i}/options`);
    });
  }

  block(value: unknown, path: string, surface: Surface): void {
    if (!isObject(value)) return this.fail(path, "must be a block");
    this.blockId(value.block_id, `${path}/block_id`);
    switch (value.type) {
      case "section": {
        if (value.text === undefined && value.fields === undefined) return this.fail(path, "must have text or fields");
        if (value.text !== undefined) this.text(value.text, `${path}/text`, 3000);
        if (value.fields !== undefined) {
          if (!Array.isArray(value.fields) || value.fields.length > 10) return this.fail(`${path}/fields`, "must be at most 10 items");
          value.fields.forEach((field, i) => this.text(field, `${path}/fields/${i}`, 2000));
        }
        if (value.accessory !== undefined) this.element(value.accessory, `${path}/accessory`);
        return;
      }
      case "header":
        return this.text(value.text, `${path}/text`, 150, true);
      case "divider":
        return;
      case "context":
        if (!Array.isArray(value.elements) || value.elements.length === 0 || value.elements.length > 10) return this.fail(`${path}/elements`, "must be 1 to 10 items");
        return value.elements.forEach((element, i) => this.text(element, `${path}/elements/${i}`, 3000));
      case "actions":
        if (!Array.isArray(value.elements) || value.elements.length === 0 || value.elements.length > 25) return this.fail(`${path}/elements`, "must be 1 to 25 items");
        return value.elements.forEach((element, i) => this.element(element, `${path}/elements/${i}`));
      case "input":
        if (surface === "message") return this.fail(`${path}/type`, "input blocks are for modals and the Home tab");
        this.text(value.label, `${path}/label`, 2000, true);
        return this.element(value.element, `${path}/element`);
      default:
        return this.fail(`${path}/type`, `unsupported block type ${String(value.type)}`);
    }
  }
}

/** What is wrong with `blocks` on `surface`, in Slack's words; empty when Slack would take them. */
export function blockKitProblems(blocks: unknown, surface: Surface): string[] {
  const checker = new Checker();
  if (!Array.isArray(blocks)) return ["must be an array [json-pointer:/blocks]"];
  if (blocks.length > MAX_BLOCKS[surface]) checker.fail("/blocks", `must be at most ${MAX_BLOCKS[surface]} blocks`);
  blocks.forEach((block, i) => checker.block(block, `/blocks/${i}`, surface));
  return checker.problems;
}

/** A modal or Home view: its blocks, and for a modal its title, buttons and metadata. */
export function viewProblems(view: unknown): string[] {
  if (!isObject(view)) return ["must be a view object [json-pointer:/view]"];
  const surface: Surface = view.type === "home" ? "home" : "modal";
  if (view.type !== "home" && view.type !== "modal") return [`unsupported view type ${String(view.type)} [json-pointer:/view/type]`];
  const checker = new Checker();
  if (surface === "modal") {
    checker.text(view.title, "/view/title", 24, true);
    if (view.submit !== undefined) checker.text(view.submit, "/view/submit", 24, true);
    if (view.close !== undefined) checker.text(view.close, "/view/close", 24, true);
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === "input");
    if (hasInput && view.submit === undefined) checker.fail("/view/submit", "a modal with inputs needs a submit button");
  }
  if (view.private_metadata !== undefined && (typeof view.private_metadata !== "string" || view.private_metadata.length > 3000)) checker.fail("/view/private_metadata", "must be at most 3000 characters");
  if (view.callback_id !== undefined && (typeof view.callback_id !== "string" || view.callback_id.length > 255)) checker.fail("/view/callback_id", "must be at most 255 characters");
  return [...checker.problems, ...blockKitProblems(view.blocks, surface)];
}
