package dev.resilient.processor.writing;

import com.palantir.javapoet.CodeBlock;

/**
 * The strings users write (breaker names, method ids, warning names), escaped for where the
 * generated source puts them.
 */
final class Literals {
    private Literals() {}

    /**
     * A Java string literal of {@code text}. JavaPoet's {@code $S} writes U+2028 and U+2029 as they
     * are, and then breaks the line there, which ends the literal; here every character that is
     * not printable ASCII is escaped.
     */
    static CodeBlock string(String text) {
        StringBuilder literal = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> literal.append("\\\"");
                case '\\' -> literal.append("\\\\");
                case '\n' -> literal.append("\\n");
                case '\r' -> literal.append("\\r");
                case '\t' -> literal.append("\\t");
                // Octal, not a unicode escape: javac reads those before the literal, so one of a line feed ends it.
                default -> literal.append(c < 0x20 ? String.format("\\%03o", (int) c)
                        : c < 0x7f ? String.valueOf(c)
                        : String.format("\\u%04x", (int) c));
            }
        }
        return CodeBlock.of("$L", literal.append('"'));
    }

    /**
     * {@code text} as Javadoc prose: a character that would end the comment ({@code *}), start a
     * unicode escape ({@code \}, which javac reads even in comments), a tag ({@code @}, braces),
     * markup or an entity ({@code <}, {@code >}, {@code &}), or a line, becomes an HTML entity; a
     * control character, which has none, is spelled as its unicode escape.
     */
    static String javadoc(String text) {
        StringBuilder prose = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> prose.append("&lt;");
                case '>' -> prose.append("&gt;");
                case '&' -> prose.append("&amp;");
                case '*', '\\', '@', '{', '}' -> prose.append("&#").append((int) c).append(';');
                case '\u2028', '\u2029' -> prose.append("&#").append((int) c).append(';');
                // HTML has no entity for a control character: spell out its unicode escape instead.
                default -> prose.append(Character.isISOControl(c) ? String.format("&#92;u%04x", (int) c) : String.valueOf(c));
            }
        }
        return prose.toString();
    }
}
