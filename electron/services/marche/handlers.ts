import type { marcheChannels } from '../../../shared/ipc/channels/marche';
import type { HandlerMap } from '../handler-types';
import { budgetFigures } from './budget';
import { deleteInvoice, deleteOrder, deletePayment, deleteQuote, updateInvoice, updateOrder, updatePayment, updateQuote } from './corrections';
import { createExpense, deleteExpense, evaluateExpense, listExpenses, updateExpense } from './expenses';
import { addTraining, createOrganisme, getOrganisme, listOrganismes, updateOrganisme } from './organismes';
import { bonDeCommandePdf, noteDeChoixPdf } from './pdf';
import { checkPublicList, importPublicListChunk, importPublicListFile, publicListStatus } from './public-list';
import { THRESHOLD_TABLE } from './rules';
import { addInvoice, addPayment, addQuote, checkOrder, chooseQuote, createMarche, createOrder, getMarche, listMarches } from './service';

export const marcheHandlers: HandlerMap<keyof typeof marcheChannels> = {
  'marche.of.list': (ctx) => listOrganismes(ctx),
  'marche.of.get': (ctx, { id }) => getOrganisme(ctx, id),
  'marche.of.create': (ctx, input) => createOrganisme(ctx, input),
  'marche.of.update': (ctx, { id, patch }) => updateOrganisme(ctx, id, patch),
  'marche.of.addTraining': (ctx, input) => addTraining(ctx, input),
  'marche.of.check': (ctx, { query }) => checkPublicList(ctx, query),
  'marche.publicList.status': (ctx) => publicListStatus(ctx),
  'marche.publicList.importFile': (ctx, { filePath, confirmShrink }) => importPublicListFile(ctx, filePath, { confirmShrink }),
  'marche.publicList.importChunk': (ctx, input) => importPublicListChunk(ctx, input),
  'marche.list': (ctx, { conventionId }) => listMarches(ctx, conventionId),
  'marche.get': (ctx, { id }) => getMarche(ctx, id),
  'marche.create': (ctx, input) => createMarche(ctx, input),
  'marche.addQuote': (ctx, input) => addQuote(ctx, input),
  'marche.choose': (ctx, input) => chooseQuote(ctx, input),
  'marche.checkOrder': (ctx, input) => checkOrder(ctx, input),
  'marche.createOrder': (ctx, input) => createOrder(ctx, input),
  'marche.addInvoice': (ctx, input) => addInvoice(ctx, input),
  'marche.addPayment': (ctx, input) => addPayment(ctx, input),
  'marche.updateQuote': (ctx, input) => updateQuote(ctx, input),
  'marche.deleteQuote': (ctx, { id }) => deleteQuote(ctx, id),
  'marche.updateOrder': (ctx, input) => updateOrder(ctx, input),
  'marche.deleteOrder': (ctx, { id }) => deleteOrder(ctx, id),
  'marche.updateInvoice': (ctx, input) => updateInvoice(ctx, input),
  'marche.deleteInvoice': (ctx, { id }) => deleteInvoice(ctx, id),
  'marche.updatePayment': (ctx, input) => updatePayment(ctx, input),
  'marche.deletePayment': (ctx, { id }) => deletePayment(ctx, id),
  'marche.pdf': async (ctx, { marcheId, document }) => {
    const pdf = document === 'bon_de_commande' ? await bonDeCommandePdf(ctx, marcheId) : await noteDeChoixPdf(ctx, marcheId);
    return { fileName: pdf.fileName, contentBase64: Buffer.from(pdf.bytes).toString('base64') };
  },
  'marche.expenses.list': (ctx, { conventionId }) => listExpenses(ctx, conventionId),
  'marche.expenses.check': async (ctx, input) => {
    const ev = await evaluateExpense(ctx, input);
    return { findings: ev.findings, canSave: ev.canSave, needsAcknowledgement: ev.needsAcknowledgement };
  },
  'marche.expenses.create': (ctx, input) => createExpense(ctx, input),
  'marche.expenses.update': (ctx, input) => updateExpense(ctx, input),
  'marche.expenses.delete': (ctx, { id }) => deleteExpense(ctx, id),
  'marche.budget': async (ctx, { conventionId }) => {
    const { fundsReceived: _f, ...b } = await budgetFigures(ctx, conventionId);
    return b;
  },
  'marche.thresholds': async () => THRESHOLD_TABLE.map((t) => ({ ...t })),
};
