package io.shoplake.common.products;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shoplake.common.products.CategoryPaths.Category;
import io.shoplake.common.products.CategoryPaths.Resolved;
import java.util.List;
import org.junit.jupiter.api.Test;

class CategoryPathsTest {
  @Test
  void pathsRunFromTheDepartmentThroughEveryAncestor() {
    List<Resolved> resolved = CategoryPaths.resolve(List.of(
        new Category("C1", "Computers", null, "Electronics"),
        new Category("C2", "Laptops", "C1", "Electronics"),
        new Category("C3", "Gaming laptops", "C2", "Electronics")));
    assertEquals(List.of(
            new Resolved(new Category("C1", "Computers", null, "Electronics"), null, "Electronics > Computers", 1, null),
            new Resolved(new Category("C2", "Laptops", "C1", "Electronics"), "Computers",
                "Electronics > Computers > Laptops", 2, null),
            new Resolved(new Category("C3", "Gaming laptops", "C2", "Electronics"), "Laptops",
                "Electronics > Computers > Laptops > Gaming laptops", 3, null)),
        resolved);
  }

  @Test
  void anUnknownParentOrACycleCutsThePathAndSaysWhy() {
    List<Resolved> resolved = CategoryPaths.resolve(List.of(
        new Category("C1", "Orphan", "C9", "Home"),
        new Category("A", "Loop A", "B", "Toys"),
        new Category("B", "Loop B", "A", "Toys")));
    assertEquals("Home > Orphan", resolved.get(0).path());
    assertEquals("unknown parent C9", resolved.get(0).broken());
    assertEquals("Toys > Loop B > Loop A", resolved.get(1).path());
    assertEquals("cycle at A", resolved.get(1).broken());
  }
}
