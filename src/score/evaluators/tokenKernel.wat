;; The tokenizer's scan (src/score/evaluators/text.ts, scanPlain) over a text's UTF-16 code units: word
;; boundaries, each word's hash and key, the character classes seen and the digits counted, at a few
;; instructions a character where JavaScript's charCodeAt loop took ~70. Interning the words stays in
;; JavaScript. Assembled by `npm run build:wasm` into tokenKernel.wasm.ts; a unit test holds the two together.
(module
  (memory (export "memory") 1)
  ;; 0..127: ASCII_BITS (1 letter, 2 digit, or a CHARS bit); 128..255: KEY_CODE (1-10 digits, 11-36
  ;; letters, 37 apostrophe). Written by the caller once, from text.ts's own tables. 256: the CHARS bits
  ;; seen by the last `scan`; 260: the digits it counted (in memory, not globals: reading an exported global
  ;; from JavaScript costs ~200 instructions).

  ;; Scans the $n code units at $in as scanPlain does and writes a 24-byte record per token at $out:
  ;; start (i32), end (i32), hash (i32), 4 bytes unused, key (f64; -1 for a token over 10 units). Returns
  ;; the tokens written, or -1 at a code unit outside ASCII and U+2000-U+206F (the caller's general path).
  ;; Reads one code unit past the end (as 0: scanPlain's reads past the end answer NUL too).
  (func (export "scan") (param $in i32) (param $n i32) (param $out i32) (result i32)
    (local $i i32) (local $c i32) (local $bits i32) (local $seen i32) (local $digits i32) (local $count i32)
    (local $start i32) (local $h i32) (local $key f64) (local $kinds i32) (local $d i32) (local $k i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $c (i32.load16_u (i32.add (local.get $in) (i32.shl (local.get $i) (i32.const 1)))))
        (if (i32.ge_u (local.get $c) (i32.const 128))
          (then
            (if (i32.gt_u (i32.sub (local.get $c) (i32.const 0x2000)) (i32.const 0x6f))
              (then (return (i32.const -1))))
            ;; ‘ ’ (U+2018, U+2019): CHARS.curly.
            (if (i32.le_u (i32.sub (local.get $c) (i32.const 0x2018)) (i32.const 1))
              (then (local.set $seen (i32.or (local.get $seen) (i32.const 64)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        (local.set $bits (i32.load8_u (local.get $c)))
        (local.set $seen (i32.or (local.get $seen) (local.get $bits)))
        (if (i32.eqz (i32.and (local.get $bits) (i32.const 3)))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        ;; A word: letters and digits.
        (local.set $start (local.get $i))
        (local.set $h (i32.const 0x811c9dc5))
        (local.set $key (f64.const 0))
        (local.set $kinds (i32.const 0))
        (loop $word
          (local.set $kinds (i32.or (local.get $kinds) (local.get $bits)))
          (local.set $h (i32.mul (i32.xor (local.get $h) (i32.or (local.get $c) (i32.const 0x20)))
                                 (i32.const 0x01000193)))
          (local.set $key (f64.add (f64.mul (local.get $key) (f64.const 38))
                                   (f64.convert_i32_u (i32.load8_u offset=128 (local.get $c)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (local.set $c (select (i32.load16_u (i32.add (local.get $in) (i32.shl (local.get $i) (i32.const 1)))) (i32.const 0) (i32.lt_u (local.get $i) (local.get $n))))
          (if (i32.lt_u (local.get $c) (i32.const 128))
            (then
              (local.set $bits (i32.load8_u (local.get $c)))
              (br_if $word (i32.ne (i32.and (local.get $bits) (i32.const 3)) (i32.const 0))))))
        ;; Letters are class 1 and digits class 2: a word with both has all of 3 (CHARS.letterAndDigit 128).
        (local.set $seen (i32.or (local.get $seen)
          (select (i32.or (local.get $kinds) (i32.const 128)) (local.get $kinds)
                  (i32.eq (local.get $kinds) (i32.const 3)))))
        (if (i32.and (local.get $kinds) (i32.const 2))
          (then
            (local.set $k (local.get $start))
            (loop $count
              (if (i32.eq (i32.load8_u (i32.load16_u (i32.add (local.get $in) (i32.shl (local.get $k) (i32.const 1)))))
                          (i32.const 2))
                (then (local.set $digits (i32.add (local.get $digits) (i32.const 1)))))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br_if $count (i32.lt_u (local.get $k) (local.get $i))))))
        ;; An apostrophe followed by letters (not digits) belongs to the word: "don't", "it’s".
        (if (i32.or (i32.eq (local.get $c) (i32.const 0x27))
                    (i32.le_u (i32.sub (local.get $c) (i32.const 0x2018)) (i32.const 1)))
          (then
            (if (i32.ne (local.get $c) (i32.const 0x27))
              (then (local.set $seen (i32.or (local.get $seen) (i32.const 64)))))
            (local.set $d (select (i32.load16_u (i32.add (local.get $in) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 1)))) (i32.const 0) (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $n))))
            (if (i32.and (i32.lt_u (local.get $d) (i32.const 128))
                         (i32.eq (i32.and (i32.load8_u (local.get $d)) (i32.const 3)) (i32.const 1)))
              (then
                (local.set $h (i32.mul (i32.xor (local.get $h) (i32.const 0x27)) (i32.const 0x01000193)))
                (local.set $key (f64.add (f64.mul (local.get $key) (f64.const 38)) (f64.const 37)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (loop $letters
                  (local.set $h (i32.mul (i32.xor (local.get $h) (i32.or (local.get $d) (i32.const 0x20)))
                                         (i32.const 0x01000193)))
                  (local.set $key (f64.add (f64.mul (local.get $key) (f64.const 38))
                                           (f64.convert_i32_u (i32.load8_u offset=128 (local.get $d)))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (local.set $d (select (i32.load16_u (i32.add (local.get $in) (i32.shl (local.get $i) (i32.const 1)))) (i32.const 0) (i32.lt_u (local.get $i) (local.get $n))))
                  (br_if $letters (i32.and (i32.lt_u (local.get $d) (i32.const 128))
                                           (i32.eq (i32.and (i32.load8_u (local.get $d)) (i32.const 3)) (i32.const 1)))))
                ;; A digit right after these letters starts the next token, but touches a letter all the same.
                (if (i32.and (i32.lt_u (local.get $d) (i32.const 128))
                             (i32.eq (i32.and (i32.load8_u (local.get $d)) (i32.const 3)) (i32.const 2)))
                  (then (local.set $seen (i32.or (local.get $seen) (i32.const 128)))))))))
        (i32.store (local.get $out) (local.get $start))
        (i32.store offset=4 (local.get $out) (local.get $i))
        (i32.store offset=8 (local.get $out) (local.get $h))
        (f64.store offset=16 (local.get $out)
          (select (local.get $key) (f64.const -1)
                  (i32.le_u (i32.sub (local.get $i) (local.get $start)) (i32.const 10))))
        (local.set $out (i32.add (local.get $out) (i32.const 24)))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (br $next)))
    (i32.store (i32.const 256) (local.get $seen))
    (i32.store (i32.const 260) (local.get $digits))
    (local.get $count))
)
