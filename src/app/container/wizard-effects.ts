import type { CheckResult, DeviceCodePrompt, Progress, ServiceContext } from '../../services/index.js';
import {
  generateCertificateFile,
  loadCertificateFile,
  registerApplication,
  renameConnection,
  saveModernAuth,
  saveNewConnection,
  saveOnPremisesEdit,
  signInAdmin,
  verifyModernAuth,
  verifyNewConnection,
  verifyOnPremisesEdit,
} from '../../services/index.js';
import type { Connection } from '../../domain/index.js';
import { TenantChangeRefused } from '../../services/registration/tenant-guard.js';
import type { WizardAction, WizardEffect, WizardPlan } from '../../model/wizard/types.js';
import type { DemoAppHooks } from './options.js';

export type WizardWork = Exclude<WizardEffect, { kind: 'cancel' } | { kind: 'reload-store' }>;

function verifyPlan(ctx: ServiceContext, plan: WizardPlan, signal: AbortSignal, onProgress: (p: Progress) => void): Promise<readonly CheckResult[]> {
  switch (plan.mode) {
    case 'new':
      return verifyNewConnection(ctx, plan.input, { signal, onProgress });
    case 'edit-online':
      return verifyModernAuth(ctx, plan.connectionId, plan.input, { signal, onProgress });
    case 'edit-onpremises':
      return verifyOnPremisesEdit(ctx, plan.connectionId, plan.input, { signal, onProgress });
  }
}

function savePlan(ctx: ServiceContext, plan: WizardPlan, checks: readonly CheckResult[]): Promise<Connection> {
  switch (plan.mode) {
    case 'new':
      return saveNewConnection(ctx, plan.input, checks);
    case 'edit-online':
      return saveModernAuth(ctx, plan.connectionId, plan.input, checks, { basedOn: plan.basedOn, ...(plan.allowTenantChange ? { allowTenantChange: true } : {}), confirmWith: 'answer Move on the question' });
    case 'edit-onpremises':
      return saveOnPremisesEdit(ctx, plan.connectionId, plan.input, checks, { basedOn: plan.basedOn });
  }
}

/**
 * Does what the wizard asked for (read a certificate, sign in, register, verify, save) through the
 * services, and reports every step back as a wizard action. Failures are the caller's to report.
 */
export async function runWizardEffect(ctx: ServiceContext, effect: WizardWork, signal: AbortSignal, report: (action: WizardAction) => void, demoApp?: DemoAppHooks): Promise<void> {
  const { opId } = effect;
  switch (effect.kind) {
    case 'load-certificate':
      report({ type: 'certificate.loaded', opId, material: await loadCertificateFile(ctx, effect.path, effect.password) });
      return;
    case 'generate-certificate': {
      const { publicFile, ...material } = await generateCertificateFile(ctx, effect.path, effect.subject);
      // The demo has no admin center to upload it to: its tenant adds it to the ready app, and the step says so.
      if (demoApp) await demoApp.addCertificate(material.certificatePem);
      report({ type: 'certificate.loaded', opId, material, generatedTo: publicFile, ...(demoApp ? { addedToDemoApp: true } : {}) });
      return;
    }
    case 'sign-in': {
      const onPrompt = (prompt: DeviceCodePrompt) => report({ type: 'prompt', opId, prompt, now: Date.now() });
      report({ type: 'signed-in', opId, session: await signInAdmin(ctx, { tenant: effect.tenant, signal, onPrompt }) });
      return;
    }
    case 'register': {
      const app = await registerApplication(ctx, effect.session, {
        service: effect.service,
        displayName: effect.displayName,
        signal,
        onProgress: (progress) => report({ type: 'registration.progress', opId, progress }),
        ...(effect.siteUrl ? { siteUrl: effect.siteUrl } : {}),
      });
      report({ type: 'registered', opId, app });
      return;
    }
    case 'verify': {
      const onProgress = (p: Progress) => report({ type: 'checks.progress', opId, running: p.running, results: p.results });
      report({ type: 'checks.done', opId, results: await verifyPlan(ctx, effect.plan, signal, onProgress) });
      return;
    }
    case 'save': {
      let saved: Connection;
      try {
        saved = await savePlan(ctx, effect.plan, effect.checks);
      } catch (error) {
        // Another tenant than before: a question for the admin, not a failure (issue 12 item 5).
        if (error instanceof TenantChangeRefused) {
          report({ type: 'tenant-change', opId, text: error.message });
          return;
        }
        throw error;
      }
      // Edit with another name typed on the Summary: renamed right after the save (its own audit entry).
      if (effect.plan.mode !== 'new' && effect.plan.rename) {
        await renameConnection(ctx, saved.id, effect.plan.rename, { basedOn: saved, allowDuplicate: true });
        saved = ctx.store.current().connections.find((c) => c.id === saved.id) ?? saved;
      }
      report({ type: 'saved', opId, connection: saved });
      return;
    }
  }
}
