// support's workflows, for the worker's bundle (deterministic code only).
export { ticketWorkflow, ticketEventSignal, ticketSlaQuery } from './ticket.ts';
