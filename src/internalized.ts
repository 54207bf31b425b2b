// The internalized copy of a string (pure): V8 stores property keys internalized, and so flat.

/**
 * `text` internalized, by way of a property key. Two uses: a key that is internalized once is not hashed
 * and looked up in the string table again at every store (ProtobufReader's attribute keys); and text
 * joined from parts becomes one flat string, so each line it goes into copies it whole rather than part
 * by part (traceLine's remembered pieces).
 */
export function internalized(text: string): string {
  return Object.keys({ [text]: 0 })[0] ?? text;
}
