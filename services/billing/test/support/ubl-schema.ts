import { readdirSync, readFileSync } from 'node:fs';
import { validateXML, type XMLValidationResult } from 'xmllint-wasm';

/**
 * Validates a document against the OASIS UBL 2.1 Invoice schema that GİB's
 * UBL-TR 1.2 package ships (xsdrt variant, in ../fixtures/ubl-2.1, see its NOTICE.md).
 */
const ROOT = new URL('../fixtures/ubl-2.1/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
const MAINDOC = 'maindoc/UBL-Invoice-2.1.xsd';
let common: { fileName: string; contents: string }[] | undefined;

export async function validateUblInvoice(xml: string): Promise<XMLValidationResult> {
  common ??= readdirSync(new URL('common/', ROOT))
    .filter((name) => name.endsWith('.xsd'))
    .map((name) => ({ fileName: `common/${name}`, contents: read(`common/${name}`) }));
  return validateXML({
    xml: { fileName: 'invoice.xml', contents: xml },
    schema: { fileName: MAINDOC, contents: read(MAINDOC) },
    preload: common,
    initialMemoryPages: 2048,
    maxMemoryPages: 8192,
  });
}
