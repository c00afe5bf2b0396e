// What makes a generated PDF claim PDF/A-2b (archival: the dossier's documents are kept at least
// five years): every font embedded (the writer embeds Liberation Sans), an sRGB output intent
// for the DeviceRGB colours drawn, XMP metadata that say the same as the document information
// dictionary plus the pdfaid identification, and a file identifier in the trailer.
// Deterministic like the rest of the writer: the identifier is a hash of the metadata, never chance.
//
// Checked here with pdfinfo/pdffonts only: veraPDF (the reference validator, Java) cannot be
// installed on our machines; run it on a generated dossier before relying on the claim.
import crypto from 'node:crypto';
import { PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';

export interface PdfAMeta {
  title: string;
  subject?: string;
  date: Date;
  creator: string;
  producer: string;
  lang: string;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The date as pdf-lib writes it in the information dictionary (D:YYYYMMDDHHmmSSZ), in XMP form. */
function xmpDate(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

function xmp(meta: PdfAMeta): string {
  const date = xmpDate(meta.date);
  const description = meta.subject === undefined ? '' : `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(meta.subject)}</rdf:li></rdf:Alt></dc:description>`;
  return `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(meta.title)}</rdf:li></rdf:Alt></dc:title>
${description}
<dc:language><rdf:Bag><rdf:li>${xmlEscape(meta.lang)}</rdf:li></rdf:Bag></dc:language>
<xmp:CreatorTool>${xmlEscape(meta.creator)}</xmp:CreatorTool>
<xmp:CreateDate>${date}</xmp:CreateDate>
<xmp:ModifyDate>${date}</xmp:ModifyDate>
<xmp:MetadataDate>${date}</xmp:MetadataDate>
<pdf:Producer>${xmlEscape(meta.producer)}</pdf:Producer>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

/** Adds the output intent, the XMP metadata and the trailer identifier to `doc`. */
export function markPdfA2b(doc: PDFDocument, meta: PdfAMeta, srgbProfile: Uint8Array): void {
  const ctx = doc.context;
  const profile = ctx.stream(srgbProfile, { N: 3 });
  const intent = ctx.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    DestOutputProfile: ctx.register(profile),
  });
  doc.catalog.set(PDFName.of('OutputIntents'), ctx.obj([ctx.register(intent)]));

  // XMP stays uncompressed (PDF/A wants it readable without a filter).
  const metadata = ctx.stream(Buffer.from(xmp(meta), 'utf8'), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), ctx.register(metadata));

  const id = crypto.createHash('md5').update(JSON.stringify(meta)).digest('hex');
  ctx.trailerInfo.ID = ctx.obj([PDFHexString.of(id), PDFHexString.of(id)]);
}
