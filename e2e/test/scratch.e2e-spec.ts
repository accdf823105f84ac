import { afterAll, beforeAll, it } from '@jest/globals';
import { Agent } from 'node:http';
import { startApp, type RunningApp } from './support/app.js';
import { send } from './support/http.js';
let running: RunningApp;
beforeAll(async () => { running = await startApp(); });
afterAll(() => running.close());
it('bench', async () => {
  for (const sockets of [1000, 100, 10]) {
    const agent = new Agent({ keepAlive: true, maxSockets: sockets });
    let t = performance.now();
    await Promise.all(Array.from({ length: 1000 }, () => send(agent, running.url, 'GET', '/mailbox')));
    const getMs = performance.now() - t;
    t = performance.now();
    await Promise.all(Array.from({ length: 1000 }, (_, i) => send(agent, running.url, 'POST', '/orders', { customerId: 'c', tier: 'vip', items: [{ sku: 'sku-1', quantity: 1 }], paymentMethod: 'card' }, { 'x-gateway-latency-ms': '0' })));
    const postMs = performance.now() - t;
    t = performance.now();
    await Promise.all(Array.from({ length: 1000 }, (_, i) => send(agent, running.url, 'POST', '/orders', { customerId: 'c', tier: 'gold', items: [{ sku: 'sku-1', quantity: 1 }], paymentMethod: 'card' }, { 'x-gateway-latency-ms': '0' })));
    const invalidMs = performance.now() - t;
    console.log(sockets, Math.round(getMs), Math.round(postMs), Math.round(invalidMs));
    agent.destroy();
  }
}, 60000);
