import type { ChannelName, OutputOf, ParsedInputOf } from '../../shared/ipc/contract';
import type { ServiceContext } from './context';

export type Handler<C extends ChannelName> = (ctx: ServiceContext, input: ParsedInputOf<C>) => Promise<OutputOf<C>>;
/** The handlers of one capability: exactly the channels it declares. */
export type HandlerMap<K extends ChannelName> = { [C in K]: Handler<C> };
