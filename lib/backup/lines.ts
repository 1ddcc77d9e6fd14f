/** Splits a text stream into lines (without their `\n` or `\r\n`). */
export class TextLineStream extends TransformStream<string, string> {
  constructor() {
    let rest = "";
    super({
      transform(chunk, controller) {
        const parts = (rest + chunk).split("\n");
        rest = parts.pop()!;
        for (const line of parts) controller.enqueue(line.replace(/\r$/, ""));
      },
      flush(controller) {
        if (rest) controller.enqueue(rest);
      },
    });
  }
}
