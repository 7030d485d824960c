package io.github.javaprometheus.servlet;

import io.github.javaprometheus.core.InstrumentationErrors;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Ant-style path patterns ({@code ?} one character, {@code *} within a segment, {@code **} any
 * number of segments) matched against the path within the application.
 */
final class ExcludedPaths {
  private final Set<String> exact = new HashSet<>();
  private final Pattern[] patterns;
  private final boolean empty;

  ExcludedPaths(List<String> antPatterns) {
    List<Pattern> compiled = new ArrayList<>();
    for (String p : antPatterns) {
      if (p.indexOf('*') < 0 && p.indexOf('?') < 0) {
        exact.add(p);
      } else {
        compiled.add(Pattern.compile(toRegex(p)));
      }
    }
    this.patterns = compiled.toArray(new Pattern[0]);
    this.empty = antPatterns.isEmpty();
  }

  /** Whether the request is excluded; a failure to tell is reported and means "measure it". */
  boolean matches(HttpServletRequest request, InstrumentationErrors errors) {
    if (empty) {
      return false;
    }
    try {
      return matchesPath(request);
    } catch (RuntimeException e) {
      errors.record("http", e);
      return false;
    }
  }

  private boolean matchesPath(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    String path =
        pathInfo == null ? servletPath : (servletPath == null ? pathInfo : servletPath + pathInfo);
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    return matches(path);
  }

  boolean matches(String path) {
    if (exact.contains(path)) {
      return true;
    }
    for (Pattern p : patterns) {
      if (p.matcher(path).matches()) {
        return true;
      }
    }
    return false;
  }

  static String toRegex(String ant) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < ant.length()) {
      char c = ant.charAt(i);
      if (c == '*') {
        if (i + 1 < ant.length() && ant.charAt(i + 1) == '*') {
          boolean slashAfter = i + 2 < ant.length() && ant.charAt(i + 2) == '/';
          boolean slashBefore = sb.length() > 0 && sb.charAt(sb.length() - 1) == '/';
          if (slashBefore && (slashAfter || i + 2 == ant.length())) {
            // "/**/" or trailing "/**": zero or more whole segments, the slash included
            sb.setLength(sb.length() - 1);
            sb.append(slashAfter ? "(?:/.*)?/" : "(?:/.*)?");
            i += slashAfter ? 3 : 2;
          } else {
            sb.append(".*");
            i += 2;
          }
          continue;
        }
        sb.append("[^/]*");
      } else if (c == '?') {
        sb.append("[^/]");
      } else {
        if (!Character.isLetterOrDigit(c) && c != '/') {
          sb.append('\\');
        }
        sb.append(c);
      }
      i++;
    }
    return sb.toString();
  }
}
