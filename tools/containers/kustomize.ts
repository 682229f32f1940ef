/**
 * A tiny kustomize-like resolver for the static checks: follows `resources` (files and
 * directories holding a kustomization) and collects the objects, without applying transformers
 * (namespace, images, patches). Enough to check what each layer contains and that every listed
 * path exists; `kubectl kustomize` (when installed) checks the full build.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export interface ResolvedKustomization {
  objects: K8sObject[];
  /** Every manifest file read. */
  files: string[];
  /** Paths listed in a kustomization (resources, patch files) that do not exist. */
  missing: string[];
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function resolveKustomization(dir: string, seen: Set<string> = new Set()): ResolvedKustomization {
  const result: ResolvedKustomization = { objects: [], files: [], missing: [] };
  const file = KUSTOMIZATION_FILES.map((name) => path.join(dir, name)).find((candidate) => fs.existsSync(candidate));
  if (!file) {
    result.missing.push(path.join(dir, 'kustomization.yaml'));
    return result;
  }
  if (seen.has(file)) throw new Error(`kustomization cycle at ${file}`);
  seen.add(file);
  const kustomization = (yaml.load(fs.readFileSync(file, 'utf8')) ?? {}) as {
    resources?: string[];
    patches?: Array<{ path?: string }>;
    patchesStrategicMerge?: string[];
  };
  for (const resource of kustomization.resources ?? []) {
    const target = path.resolve(dir, resource);
    if (!fs.existsSync(target)) {
      result.missing.push(target);
    } else if (fs.statSync(target).isDirectory()) {
      const nested = resolveKustomization(target, seen);
      result.objects.push(...nested.objects);
      result.files.push(...nested.files);
      result.missing.push(...nested.missing);
    } else {
      result.files.push(target);
      for (const doc of yaml.loadAll(fs.readFileSync(target, 'utf8'))) {
        if (doc !== null && doc !== undefined) result.objects.push(doc as K8sObject);
      }
    }
  }
  const patchFiles = [...(kustomization.patches ?? []).map((patch) => patch.path), ...(kustomization.patchesStrategicMerge ?? [])];
  for (const patchFile of patchFiles) {
    if (patchFile && !fs.existsSync(path.resolve(dir, patchFile))) result.missing.push(path.resolve(dir, patchFile));
  }
  return result;
}
