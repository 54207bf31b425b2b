;; The prompt hash's inner loop (src/normalize/promptBytes.ts) over a message's UTF-8 bytes: JSON escapes and
;; whitespace collapsed in one pass, at a few instructions a byte where JavaScript's charCodeAt loop took ~48 a
;; character. Assembled by `npm run build:wasm` into promptKernel.wasm.ts; a unit test holds the two together.
(module
  (memory (export "memory") 1)

  ;; Writes the UTF-8 bytes [in, in + len) at out as the inside of a JSON string literal: each run of ASCII
  ;; whitespace becomes one space, runs at either end are dropped, quote and backslash get a backslash, other
  ;; controls are \b or \u00xx. Returns the end of what it wrote times two, plus 1 when the text needs no JSON
  ;; escape (see promptBytes.ts: verbatim), or -1 at a Unicode whitespace character
  ;; (U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF), which JavaScript's \s
  ;; also collapses, or at U+FFFD, which is what a lone surrogate became in UTF-8 (JSON escapes it instead):
  ;; the caller takes its general path then. Reads up to 2 bytes past the end.
  (func (export "collapse") (param $in i32) (param $len i32) (param $out i32) (result i32)
    (local $end i32) (local $p i32) (local $spaceEnd i32) (local $c i32) (local $verb i32)
    (local $b1 i32) (local $b2 i32) (local $x i64) (local $z i64) (local $bad i64) (local $scalarUntil i32)
    (local.set $end (i32.add (local.get $in) (local.get $len)))
    (local.set $p (local.get $out))
    (local.set $spaceEnd (i32.const -1))
    (local.set $verb (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $in) (local.get $end)))
        ;; Eight bytes at once while they are printable ASCII and single spaces (most of any prompt), tested
        ;; with the bit tricks of "Bit Twiddling Hacks" on the eight as one 64-bit word (byte i in bits 8i..).
        ;; Eight that fail are done one by one below before the next try.
        (if (i32.and (i32.le_u (i32.add (local.get $in) (i32.const 8)) (local.get $end))
                     (i32.ge_u (local.get $in) (local.get $scalarUntil)))
          (then
            (local.set $x (i64.load (local.get $in)))
            ;; A byte below 0x20 (controls, \t \n \v \f \r).
            (local.set $bad (i64.and (i64.and (i64.sub (local.get $x) (i64.const 0x2020202020202020))
                                              (i64.xor (local.get $x) (i64.const -1)))
                                     (i64.const 0x8080808080808080)))
            ;; A byte above 0x7e (DEL, any byte of a multi-byte character).
            (local.set $bad (i64.or (local.get $bad)
              (i64.and (i64.or (i64.add (local.get $x) (i64.const 0x0101010101010101)) (local.get $x))
                       (i64.const 0x8080808080808080))))
            ;; A quote.
            (local.set $z (i64.xor (local.get $x) (i64.const 0x2222222222222222)))
            (local.set $bad (i64.or (local.get $bad)
              (i64.and (i64.and (i64.sub (local.get $z) (i64.const 0x0101010101010101))
                                (i64.xor (local.get $z) (i64.const -1)))
                       (i64.const 0x8080808080808080))))
            ;; A backslash.
            (local.set $z (i64.xor (local.get $x) (i64.const 0x5c5c5c5c5c5c5c5c)))
            (local.set $bad (i64.or (local.get $bad)
              (i64.and (i64.and (i64.sub (local.get $z) (i64.const 0x0101010101010101))
                                (i64.xor (local.get $z) (i64.const -1)))
                       (i64.const 0x8080808080808080))))
            ;; Two spaces side by side: $z gets 0x80 in exactly the bytes that are spaces.
            (local.set $z (i64.xor (local.get $x) (i64.const 0x2020202020202020)))
            (local.set $z (i64.xor
              (i64.or (i64.or (i64.add (i64.and (local.get $z) (i64.const 0x7f7f7f7f7f7f7f7f))
                                       (i64.const 0x7f7f7f7f7f7f7f7f))
                              (local.get $z))
                      (i64.const 0x7f7f7f7f7f7f7f7f))
              (i64.const -1)))
            (local.set $bad (i64.or (local.get $bad)
              (i64.and (local.get $z) (i64.shl (local.get $z) (i64.const 8)))))
            (if (i32.and
                  (i64.eqz (local.get $bad))
                  ;; A first space right after a written space, or leading, is collapsed or dropped below.
                  (i32.or (i32.ne (i32.and (i32.wrap_i64 (local.get $x)) (i32.const 0xff)) (i32.const 0x20))
                          (i32.and (i32.ne (local.get $p) (local.get $spaceEnd))
                                   (i32.ne (local.get $p) (local.get $out)))))
              (then
                (i64.store (local.get $p) (local.get $x))
                (local.set $p (i32.add (local.get $p) (i32.const 8)))
                (local.set $in (i32.add (local.get $in) (i32.const 8)))
                (if (i64.eq (i64.shr_u (local.get $x) (i64.const 56)) (i64.const 0x20))
                  (then (local.set $spaceEnd (local.get $p))))
                (br $next)))
            (local.set $scalarUntil (i32.add (local.get $in) (i32.const 8)))))
        (local.set $c (i32.load8_u (local.get $in)))
        (local.set $in (i32.add (local.get $in) (i32.const 1)))
        ;; Printable ASCII but space, quote and backslash: most of any prompt.
        (if (i32.and
              (i32.lt_u (i32.sub (local.get $c) (i32.const 0x21)) (i32.const 0x5e))
              (i32.and (i32.ne (local.get $c) (i32.const 0x22)) (i32.ne (local.get $c) (i32.const 0x5c))))
          (then
            (i32.store8 (local.get $p) (local.get $c))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $next)))
        ;; ASCII whitespace: space, \t \n \v \f \r.
        (if (i32.or (i32.eq (local.get $c) (i32.const 0x20))
                    (i32.lt_u (i32.sub (local.get $c) (i32.const 0x09)) (i32.const 5)))
          (then
            (if (i32.lt_u (local.get $c) (i32.const 0x20)) (then (local.set $verb (i32.const 0))))
            (if (i32.and (i32.ne (local.get $p) (local.get $spaceEnd)) (i32.ne (local.get $p) (local.get $out)))
              (then
                (i32.store8 (local.get $p) (i32.const 0x20))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (local.set $spaceEnd (local.get $p))))
            (br $next)))
        (if (i32.or (i32.eq (local.get $c) (i32.const 0x22)) (i32.eq (local.get $c) (i32.const 0x5c)))
          (then
            (local.set $verb (i32.const 0))
            (i32.store8 (local.get $p) (i32.const 0x5c))
            (i32.store8 offset=1 (local.get $p) (local.get $c))
            (local.set $p (i32.add (local.get $p) (i32.const 2)))
            (br $next)))
        (if (i32.lt_u (local.get $c) (i32.const 0x20))
          (then
            (local.set $verb (i32.const 0))
            (i32.store8 (local.get $p) (i32.const 0x5c))
            (if (i32.eq (local.get $c) (i32.const 0x08))
              (then
                (i32.store8 offset=1 (local.get $p) (i32.const 0x62))
                (local.set $p (i32.add (local.get $p) (i32.const 2))))
              (else
                ;; \u00 then two lower-case hex digits (the high one is 0 or 1).
                (i32.store offset=1 (local.get $p) (i32.const 0x30303075))
                (i32.store8 offset=5 (local.get $p)
                  (i32.add (i32.and (local.get $c) (i32.const 0x0f))
                    (select (i32.const 0x57) (i32.const 0x30)
                      (i32.gt_u (i32.and (local.get $c) (i32.const 0x0f)) (i32.const 9)))))
                (i32.store8 offset=4 (local.get $p) (i32.add (i32.const 0x30) (i32.shr_u (local.get $c) (i32.const 4))))
                (local.set $p (i32.add (local.get $p) (i32.const 6)))))
            (br $next)))
        ;; DEL and every byte of a multi-byte character are written as they are. The lead byte of a Unicode
        ;; whitespace character or of U+FFFD ends the call; that of a four-byte character (a surrogate pair in
        ;; UTF-16, which the row encoder's verbatim test rejects) clears verbatim.
        (if (i32.ge_u (local.get $c) (i32.const 0xc2))
          (then
            (local.set $b1 (i32.load8_u (local.get $in)))
            (local.set $b2 (i32.load8_u offset=1 (local.get $in)))
            (if (i32.ge_u (local.get $c) (i32.const 0xf0)) (then (local.set $verb (i32.const 0))))
            (if (i32.or
                  (i32.or
                    (i32.and (i32.eq (local.get $c) (i32.const 0xc2)) (i32.eq (local.get $b1) (i32.const 0xa0)))
                    (i32.and (i32.eq (local.get $c) (i32.const 0xe1))
                      (i32.and (i32.eq (local.get $b1) (i32.const 0x9a)) (i32.eq (local.get $b2) (i32.const 0x80)))))
                  (i32.or
                    (i32.and (i32.eq (local.get $c) (i32.const 0xe2))
                      (i32.or
                        (i32.and (i32.eq (local.get $b1) (i32.const 0x80))
                          (i32.or (i32.le_u (local.get $b2) (i32.const 0x8a))
                            (i32.or (i32.eq (i32.and (local.get $b2) (i32.const 0xfe)) (i32.const 0xa8))
                                    (i32.eq (local.get $b2) (i32.const 0xaf)))))
                        (i32.and (i32.eq (local.get $b1) (i32.const 0x81)) (i32.eq (local.get $b2) (i32.const 0x9f)))))
                    (i32.or
                      (i32.and (i32.eq (local.get $c) (i32.const 0xe3))
                        (i32.and (i32.eq (local.get $b1) (i32.const 0x80)) (i32.eq (local.get $b2) (i32.const 0x80))))
                      (i32.and (i32.eq (local.get $c) (i32.const 0xef))
                        (i32.or
                          (i32.and (i32.eq (local.get $b1) (i32.const 0xbb)) (i32.eq (local.get $b2) (i32.const 0xbf)))
                          (i32.and (i32.eq (local.get $b1) (i32.const 0xbf)) (i32.eq (local.get $b2) (i32.const 0xbd))))))))
              (then (return (i32.const -1))))))
        (i32.store8 (local.get $p) (local.get $c))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next)))
    ;; A trailing run's space is dropped, as trim() drops it.
    (if (i32.eq (local.get $p) (local.get $spaceEnd)) (then (local.set $p (i32.sub (local.get $p) (i32.const 1)))))
    ;; Returned, not kept in a global: reading an exported global from JavaScript costs ~200 instructions.
    (i32.or (i32.shl (local.get $p) (i32.const 1)) (local.get $verb)))
)
