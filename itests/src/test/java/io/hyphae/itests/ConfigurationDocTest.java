package io.hyphae.itests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * docs/configuration.md (#7) against the metatype of the bundles: every PID and option the metatype XMLs of the jars
 * define must have a row in the doc with the same type, default and description, and the doc must not describe a
 * PID or option that no metatype defines. A plain unit test (surefire): it reads the jars named by the system
 * properties {@code hyphae.bundle.<artifact>} (set from {@code ${io.hyphae:<artifact>:jar}}, as for the Pax Exam
 * tests) and the doc named by {@code hyphae.configurationDoc}.
 *
 * <p>The doc's format: a heading {@code ## `<pid>`} per PID, then a table whose rows are
 * {@code | `<option>` | <type> | `<default>` | <description> |}; the type is the metatype type with {@code []} when
 * the option is multi-valued, the default is the metatype's verbatim ({@code (empty)} for the empty string), and the
 * description contains the metatype's.
 */
class ConfigurationDocTest {
    private static final String BUNDLE_PROPERTY = "hyphae.bundle.";
    private static final String METATYPE_DIR = "OSGI-INF/metatype/";
    private static final String EMPTY = "(empty)";
    private static final Pattern PID_HEADING = Pattern.compile("^##\\s+`([^`]+)`\\s*$");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|([^|]*)\\|([^|]*)\\|(.*)\\|\\s*$");

    /** An option as the metatype or the doc describes it. */
    private record Option(String type, String defaultValue, String description) {
    }

    @Test
    void docMatchesTheMetatypeOfEveryBundle() throws Exception {
        Map<String, Map<String, Option>> metatype = metatype();
        assertFalse(metatype.isEmpty(), "no metatype found in the bundles " + bundleJars().keySet());
        Map<String, Map<String, Option>> doc = doc();

        List<String> mismatches = new ArrayList<>();
        metatype.forEach((pid, options) -> {
            Map<String, Option> documented = doc.get(pid);
            if (documented == null) {
                mismatches.add(pid + ": no section \"## `" + pid + "`\" in the doc");
                return;
            }
            options.forEach((id, expected) -> {
                Option actual = documented.get(id);
                if (actual == null) {
                    mismatches.add(pid + " " + id + ": no row in the doc (metatype: " + expected + ")");
                    return;
                }
                if (!actual.type().equals(expected.type())) {
                    mismatches.add(pid + " " + id + ": type " + actual.type() + " in the doc, " + expected.type()
                            + " in the metatype");
                }
                if (!actual.defaultValue().equals(expected.defaultValue())) {
                    mismatches.add(pid + " " + id + ": default \"" + actual.defaultValue() + "\" in the doc, \""
                            + expected.defaultValue() + "\" in the metatype");
                }
                if (!actual.description().contains(expected.description())) {
                    mismatches.add(pid + " " + id + ": the doc's description does not contain the metatype's \""
                            + expected.description() + "\"");
                }
            });
            documented.keySet().stream().filter(id -> !options.containsKey(id))
                    .forEach(id -> mismatches.add(pid + " " + id + ": in the doc, not in the metatype"));
        });
        doc.keySet().stream().filter(pid -> !metatype.containsKey(pid))
                .forEach(pid -> mismatches.add(pid + ": in the doc, no metatype defines it"));

        if (!mismatches.isEmpty()) {
            fail(docPath() + " disagrees with the metatype of the bundles (" + mismatches.size() + "):\n  "
                    + String.join("\n  ", mismatches));
        }
    }

    /** PID to option id to option, from every metatype XML of every bundle jar. */
    private static Map<String, Map<String, Option>> metatype() throws Exception {
        Map<String, Map<String, Option>> out = new TreeMap<>();
        for (Map.Entry<String, Path> bundle : bundleJars().entrySet()) {
            try (ZipFile jar = new ZipFile(bundle.getValue().toFile())) {
                Enumeration<? extends ZipEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry entry = entries.nextElement();
                    if (entry.isDirectory() || !entry.getName().startsWith(METATYPE_DIR)
                            || !entry.getName().endsWith(".xml")) {
                        continue;
                    }
                    try (InputStream in = jar.getInputStream(entry)) {
                        String where = bundle.getKey() + "!/" + entry.getName();
                        readMetatype(parse(in), where).forEach((pid, options) -> {
                            if (out.putIfAbsent(pid, options) != null) {
                                fail("PID " + pid + " is designated twice, again in " + where);
                            }
                        });
                    }
                }
            }
        }
        return out;
    }

    /** The bundle jars: every system property hyphae.bundle.&lt;artifact&gt;, which must name a jar. */
    private static Map<String, Path> bundleJars() {
        Map<String, Path> out = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(BUNDLE_PROPERTY)).forEach(k -> {
            String value = System.getProperty(k);
            assertFalse(value.startsWith("${"), k + " is not resolved: " + value);
            Path path = Path.of(value);
            // a reactor build that stops before package (mvn test) resolves the bundles to target/classes, which
            // has no OSGI-INF/metatype: bnd writes it into the jar only
            Assumptions.assumeFalse(Files.isDirectory(path),
                    k + " is a directory, not a jar (" + path + "): the bundles are not packaged; run mvn verify");
            assertTrue(Files.isRegularFile(path), k + " names no file: " + path);
            out.put(k.substring(BUNDLE_PROPERTY.length()), path);
        });
        assertFalse(out.isEmpty(), "no system property " + BUNDLE_PROPERTY + "<artifact> names a bundle jar");
        return out;
    }

    private static Document parse(InputStream in) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        DocumentBuilder builder = factory.newDocumentBuilder();
        return builder.parse(in);
    }

    /** PID (or factory PID) to its options, from one metatype document (OCDs bound to PIDs by Designate). */
    private static Map<String, Map<String, Option>> readMetatype(Document document, String where) {
        Map<String, Map<String, Option>> ocds = new HashMap<>();
        for (Element ocd : elements(document.getDocumentElement(), "OCD")) {
            Map<String, Option> options = new LinkedHashMap<>();
            for (Element ad : elements(ocd, "AD")) {
                String cardinality = ad.getAttribute("cardinality");
                boolean multiValued = !cardinality.isEmpty() && Integer.parseInt(cardinality) != 0;
                options.put(ad.getAttribute("id"), new Option(ad.getAttribute("type") + (multiValued ? "[]" : ""),
                        ad.getAttribute("default"), ad.getAttribute("description")));
            }
            ocds.put(ocd.getAttribute("id"), options);
        }
        Map<String, Map<String, Option>> out = new LinkedHashMap<>();
        for (Element designate : elements(document.getDocumentElement(), "Designate")) {
            String pid = designate.hasAttribute("factoryPid") ? designate.getAttribute("factoryPid")
                    : designate.getAttribute("pid");
            for (Element object : elements(designate, "Object")) {
                Map<String, Option> options = ocds.get(object.getAttribute("ocdref"));
                assertTrue(options != null, where + ": Designate " + pid + " refers to no OCD "
                        + object.getAttribute("ocdref"));
                out.put(pid, options);
            }
        }
        return out;
    }

    private static List<Element> elements(Element parent, String localName) {
        NodeList nodes = parent.getElementsByTagNameNS("*", localName);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    /** PID to option id to option, from the tables under the "## `pid`" headings of the doc. */
    private static Map<String, Map<String, Option>> doc() throws IOException {
        Map<String, Map<String, Option>> out = new TreeMap<>();
        List<String> malformed = new ArrayList<>();
        Map<String, Option> section = null;
        String pid = null;
        int lineNumber = 0;
        for (String line : Files.readAllLines(docPath())) {
            lineNumber++;
            if (line.startsWith("#")) {
                Matcher heading = PID_HEADING.matcher(line);
                pid = heading.matches() ? heading.group(1) : null;
                section = pid == null ? null : new LinkedHashMap<>();
                if (pid != null && out.put(pid, section) != null) {
                    malformed.add("line " + lineNumber + ": a second section for " + pid);
                }
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (section == null || !row.matches()) {
                continue;
            }
            String defaultCell = row.group(3).strip();
            String defaultValue;
            if (defaultCell.equals(EMPTY)) {
                defaultValue = "";
            } else if (defaultCell.length() >= 2 && defaultCell.startsWith("`") && defaultCell.endsWith("`")) {
                defaultValue = defaultCell.substring(1, defaultCell.length() - 1);
            } else {
                malformed.add("line " + lineNumber + ": default of " + row.group(1) + " is neither `value` nor "
                        + EMPTY + ": " + defaultCell);
                continue;
            }
            if (section.put(row.group(1), new Option(row.group(2).strip(), defaultValue, row.group(4).strip()))
                    != null) {
                malformed.add("line " + lineNumber + ": a second row for " + pid + " " + row.group(1));
            }
        }
        if (!malformed.isEmpty()) {
            fail(docPath() + " is malformed:\n  " + String.join("\n  ", malformed));
        }
        return out;
    }

    private static Path docPath() {
        return Path.of(System.getProperty("hyphae.configurationDoc", "../docs/configuration.md"));
    }
}
