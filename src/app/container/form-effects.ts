import type { FormAction, FormEffect } from '../../model/forms/types.js';
import type { ServiceContext } from '../../services/index.js';
import { createBackupJob, createRestoreJob, createStorage, editJob, findJob } from '../../services/index.js';
import { tenantSources } from '../../services/tenant-sources.js';

/** Does what a job or storage wizard asked for, through the services; the answer is a form action. */
export async function runFormEffect(ctx: ServiceContext, effect: Exclude<FormEffect, { kind: 'cancel' }>, signal: AbortSignal | undefined): Promise<FormAction> {
  const { opId } = effect;
  switch (effect.kind) {
    case 'load-sources':
      return { type: 'sources.loaded', opId, sources: await tenantSources(ctx, effect.connectionId, signal ? { signal } : {}) };
    case 'create-job':
      return { type: 'saved', opId, job: await createBackupJob(ctx, effect.input) };
    case 'create-restore-job':
      return { type: 'saved', opId, job: await createRestoreJob(ctx, effect.input) };
    case 'edit-job': {
      // Nothing changed: the store is not written, and the job is as it was.
      const job = (await editJob(ctx, effect.jobId, effect.changes)) ?? findJob(ctx.store.current(), effect.jobId);
      return { type: 'saved', opId, job };
    }
    case 'create-storage': {
      const { storage, recoveryKey } = await createStorage(ctx, effect.input);
      return { type: 'storage.created', opId, storage: { id: storage.id, name: storage.name }, recoveryKey };
    }
  }
}
