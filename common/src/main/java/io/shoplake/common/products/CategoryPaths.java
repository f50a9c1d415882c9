package io.shoplake.common.products;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves each category's place in the hierarchy: its parent's name and its full path
 * {@code department > ancestors > category}, root first. Plain Java over the category list (a few
 * thousand rows at most, collected on the driver): the walk up the tree is a loop, not a chain of
 * self-joins. A parent that is not in the list ends the path where it is, and a cycle is cut where it
 * closes; both are reported by {@link Resolved#broken}.
 */
public final class CategoryPaths {
  public static final String SEPARATOR = " > ";

  private CategoryPaths() {}

  /** One category as read. */
  public record Category(String id, String name, String parentId, String department) {}

  /**
   * @param parentName the direct parent's name, null for a root or an unknown parent
   * @param path department, then the names from the root down to this category
   * @param depth 1 for a root
   * @param broken why the path is cut short (unknown parent, cycle), or null
   */
  public record Resolved(Category category, String parentName, String path, int depth, String broken) {}

  public static List<Resolved> resolve(List<Category> categories) {
    Map<String, Category> byId = new LinkedHashMap<>();
    categories.forEach(c -> byId.put(c.id(), c));
    List<Resolved> resolved = new ArrayList<>();
    for (Category category : categories) {
      List<String> names = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      String broken = null;
      Category current = category;
      while (true) {
        names.add(current.name());
        seen.add(current.id());
        String parentId = current.parentId();
        if (parentId == null) {
          break;
        }
        Category parent = byId.get(parentId);
        if (parent == null) {
          broken = "unknown parent " + parentId;
          break;
        }
        if (seen.contains(parentId)) {
          broken = "cycle at " + parentId;
          break;
        }
        current = parent;
      }
      Collections.reverse(names);
      List<String> parts = new ArrayList<>();
      if (category.department() != null) {
        parts.add(category.department());
      }
      parts.addAll(names);
      Category parent = category.parentId() == null ? null : byId.get(category.parentId());
      resolved.add(new Resolved(category, parent == null ? null : parent.name(), String.join(SEPARATOR, parts),
          names.size(), broken));
    }
    return resolved;
  }
}
