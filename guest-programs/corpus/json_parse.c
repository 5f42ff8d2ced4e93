/*
 * json_parse (parser): generates a JSON document — an array of param records (fewer if the
 * 4 MiB buffer would overflow), each
 *   {"id": i, "name": S, "score": N, "active": B, "tags": [S, ...], "nested": V, "note": null|S}
 * with strings of 1-12 characters including escapes (\" \\ \n \t \u00XX), integers of every
 * magnitude and sign, and nested values (arrays, objects with keys k0..k3, scalars) up to
 * three levels deep, all drawn from xorshift32 (seed 0x9B05688C) — then parses it with a
 * recursive-descent parser that decodes every string and number. Checksum: an FNV-style fold
 * over the parse events (integers, decoded strings' FNV-1a, literals, container sizes), xor the
 * document's length; 0 on a parse error.
 */
#include "corpus.h"

#define JS_MAX (4u << 20)
#define JS_MARGIN 16384u /* more than any one record can take */

static char js_buf[JS_MAX];
static uint32_t js_len, js_seed, js_pos, js_hash;
static int js_error;

static const char js_alphabet[] = "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789_-";
#define JS_ALPHABET_LEN (sizeof js_alphabet - 1)

static uint32_t js_rand(void) { return corpus_xorshift32(&js_seed); }
static void put(char c) { js_buf[js_len++] = c; }
static void puts_(const char *s) { while (*s) js_buf[js_len++] = *s++; }

static void put_int(int32_t v) {
    char tmp[12];
    uint32_t u = (uint32_t)v, n = 0;
    if (v < 0) {
        put('-');
        u = 0u - u;
    }
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n) put(tmp[--n]);
}

static void gen_string(void) {
    static const char hex[] = "0123456789abcdef";
    put('"');
    uint32_t n = 1 + js_rand() % 12;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t r = js_rand();
        if ((r & 15) == 0) {
            switch ((r >> 4) % 5) {
            case 0: puts_("\\\""); break;
            case 1: puts_("\\\\"); break;
            case 2: puts_("\\n"); break;
            case 3: puts_("\\t"); break;
            default: {
                uint32_t c = 0x20 + (r >> 8) % 0x5F;
                puts_("\\u00");
                put(hex[c >> 4]);
                put(hex[c & 15]);
            }
            }
        } else {
            put(js_alphabet[(r >> 4) % JS_ALPHABET_LEN]);
        }
    }
    put('"');
}

static void gen_value(uint32_t depth) {
    uint32_t r = js_rand();
    switch (r % (depth < 3 ? 6u : 3u)) {
    case 0:
    case 5: {
        uint32_t shift = (r >> 8) % 31;
        put_int((int32_t)js_rand() >> shift);
        break;
    }
    case 1: gen_string(); break;
    case 2: {
        uint32_t k = (r >> 8) % 3;
        puts_(k == 0 ? "true" : k == 1 ? "false" : "null");
        break;
    }
    case 3: {
        uint32_t count = (r >> 8) % 5;
        put('[');
        for (uint32_t i = 0; i < count; i++) {
            if (i) puts_(", ");
            gen_value(depth + 1);
        }
        put(']');
        break;
    }
    default: {
        uint32_t count = (r >> 8) % 4;
        put('{');
        for (uint32_t i = 0; i < count; i++) {
            if (i) puts_(", ");
            puts_("\"k");
            put((char)('0' + i));
            puts_("\": ");
            gen_value(depth + 1);
        }
        put('}');
    }
    }
}

static void gen_document(uint32_t records) {
    js_len = 0;
    js_seed = 0x9B05688Cu;
    puts_("[\n");
    for (uint32_t i = 0; i < records && js_len + JS_MARGIN < JS_MAX; i++) {
        if (i) puts_(",\n");
        puts_("{\"id\": ");
        put_int((int32_t)i);
        puts_(", \"name\": ");
        gen_string();
        puts_(", \"score\": ");
        put_int((int32_t)(js_rand() % 200001) - 100000);
        puts_(", \"active\": ");
        puts_(js_rand() & 1 ? "true" : "false");
        puts_(", \"tags\": [");
        uint32_t tags = js_rand() % 4;
        for (uint32_t t = 0; t < tags; t++) {
            if (t) puts_(", ");
            gen_string();
        }
        puts_("], \"nested\": ");
        gen_value(1);
        puts_(", \"note\": ");
        if (js_rand() & 1) puts_("null");
        else gen_string();
        put('}');
    }
    puts_("\n]\n");
}

/* ---- the parser: every event is folded into js_hash ---- */

static void event(uint32_t v) { js_hash = (js_hash ^ v) * CORPUS_FNV_PRIME; }

static void skip_ws(void) {
    while (js_pos < js_len) {
        char c = js_buf[js_pos];
        if (c != ' ' && c != '\n' && c != '\t' && c != '\r') break;
        js_pos++;
    }
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void parse_string(void) {
    if (js_buf[js_pos] != '"') { js_error = 1; return; }
    js_pos++;
    uint32_t f = CORPUS_FNV_OFFSET;
    for (;;) {
        if (js_pos >= js_len) { js_error = 1; return; }
        char c = js_buf[js_pos++];
        if (c == '"') break;
        if (c == '\\') {
            char e = js_buf[js_pos++];
            switch (e) {
            case '"': c = '"'; break;
            case '\\': c = '\\'; break;
            case '/': c = '/'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'u': {
                uint32_t v = 0;
                for (int k = 0; k < 4; k++) {
                    int d = hex_digit(js_buf[js_pos++]);
                    if (d < 0) { js_error = 1; return; }
                    v = v << 4 | (uint32_t)d;
                }
                if (v > 0x7F) { js_error = 1; return; } /* the generator emits ASCII only */
                c = (char)v;
                break;
            }
            default: js_error = 1; return;
            }
        }
        f = (f ^ (uint8_t)c) * CORPUS_FNV_PRIME;
    }
    event(f);
}

static int literal(const char *s) {
    uint32_t p = js_pos;
    while (*s) {
        if (p >= js_len || js_buf[p] != *s) return 0;
        p++;
        s++;
    }
    js_pos = p;
    return 1;
}

static void parse_value(void) {
    skip_ws();
    if (js_pos >= js_len) { js_error = 1; return; }
    char c = js_buf[js_pos];
    if (c == '"') {
        parse_string();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        int neg = c == '-';
        if (neg) js_pos++;
        uint32_t v = 0, digits = 0;
        while (js_pos < js_len && js_buf[js_pos] >= '0' && js_buf[js_pos] <= '9') {
            v = v * 10 + (uint32_t)(js_buf[js_pos++] - '0');
            digits++;
        }
        if (!digits) { js_error = 1; return; }
        event(neg ? 0u - v : v);
    } else if (c == '[') {
        js_pos++;
        uint32_t count = 0;
        skip_ws();
        if (js_buf[js_pos] == ']') {
            js_pos++;
        } else {
            for (;;) {
                parse_value();
                if (js_error) return;
                count++;
                skip_ws();
                char d = js_buf[js_pos++];
                if (d == ']') break;
                if (d != ',') { js_error = 1; return; }
            }
        }
        event(0x200 + count);
    } else if (c == '{') {
        js_pos++;
        uint32_t count = 0;
        skip_ws();
        if (js_buf[js_pos] == '}') {
            js_pos++;
        } else {
            for (;;) {
                skip_ws();
                parse_string();
                skip_ws();
                if (js_error || js_buf[js_pos++] != ':') { js_error = 1; return; }
                parse_value();
                if (js_error) return;
                count++;
                skip_ws();
                char d = js_buf[js_pos++];
                if (d == '}') break;
                if (d != ',') { js_error = 1; return; }
            }
        }
        event(0x300 + count);
    } else if (literal("true")) {
        event(0x101);
    } else if (literal("false")) {
        event(0x100);
    } else if (literal("null")) {
        event(0x102);
    } else {
        js_error = 1;
    }
}

uint32_t corpus_json_parse(uint32_t param) {
    gen_document(param);
    js_pos = 0;
    js_hash = CORPUS_FNV_OFFSET;
    js_error = 0;
    parse_value();
    skip_ws();
    if (js_error || js_pos != js_len) return 0;
    return js_hash ^ js_len;
}
