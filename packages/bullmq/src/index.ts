/**
 * `@orka/bullmq`: `BullMqTransport`, Orka's durable runs on worker processes through BullMQ on Redis
 * (a peer dependency), one run one job.
 */
export { BullMqTransport, type BullMqTransportOptions } from './bullmq-transport.js';
