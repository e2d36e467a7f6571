// The items of a page generator, as an async generator would yield them.

type Step = IteratorResult<unknown, undefined>;
const DONE: Step = Object.freeze({ value: undefined, done: true });

/**
 * The items of the pages, as an async generator would yield them (next, return and throw, one
 * step at a time), without an async generator's cost per item: the items of a page that has
 * arrived are handed out at once. Calls made while a page is awaited wait their turn.
 */
export function itemsOf(pages: AsyncGenerator<{ items: unknown[] }, void, undefined>): AsyncGenerator<unknown, void, undefined> {
  let items: unknown[] = [];
  let index = 0;
  let finished = false;
  let busy: Promise<Step> | undefined;
  const next = (): Promise<Step> => {
    if (busy) return busy.then(next, next);
    if (index < items.length) return Promise.resolve({ value: items[index++], done: false });
    if (finished) return Promise.resolve(DONE);
    busy = pages.next().then(
      (result) => {
        busy = undefined;
        if (result.done) {
          finished = true;
          return DONE;
        }
        items = result.value.items;
        index = 0;
        return next();
      },
      (error: unknown) => {
        busy = undefined;
        finished = true;
        throw error;
      },
    );
    return busy;
  };
  const stop = async (): Promise<void> => {
    finished = true;
    items = [];
    await pages.return(undefined);
  };
  const iterator = {
    next,
    async return(): Promise<Step> {
      await stop();
      return DONE;
    },
    async throw(error: unknown): Promise<Step> {
      await stop();
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator as unknown as AsyncGenerator<unknown, void, undefined>;
}
