package io.shoplake.jobs.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The generator's master data: categories (department > parent > category), products and customers,
 * built in memory from the seed so that every dataset refers to the same ids.
 */
final class ReferenceData {
  record Category(String id, String name, String parentId, String department) {}

  record Product(String id, String sku, String name, String categoryId, String brand, long priceCents,
      long costCents, int stock, int reorderLevel, boolean active, String color, String size) {}

  record Customer(String id, String email, String fullName, String country, String currency) {}

  static final String[] DEPARTMENTS = {"Electronics", "Home", "Fashion", "Sports", "Books"};
  static final String[] BRANDS = {"Acme", "Northwind", "Globex", "Initech", "Umbrella", "Stark", "Wayne"};
  static final String[] COLORS = {"black", "white", "red", "blue", "green"};
  static final String[] SIZES = {"S", "M", "L", "XL"};
  static final String[][] COUNTRIES = {{"US", "USD"}, {"US", "USD"}, {"US", "USD"}, {"DE", "EUR"},
      {"FR", "EUR"}, {"GB", "GBP"}, {"CA", "CAD"}, {"JP", "JPY"}};
  static final String[] FIRST = {"Ann", "Bob", "Chen", "Dana", "Eve", "Farid", "Gita", "Hugo", "Ines", "Jon"};
  static final String[] LAST = {"Smith", "Muller", "Dubois", "Tanaka", "Garcia", "Rossi", "Kowalski", "Olsen"};

  final List<Category> categories = new ArrayList<>();
  final List<Category> leafCategories = new ArrayList<>();
  final List<Product> products = new ArrayList<>();
  final List<Customer> customers = new ArrayList<>();

  ReferenceData(long transactions, SplittableRandom random) {
    int next = 1;
    for (String department : DEPARTMENTS) {
      for (int p = 1; p <= 2; p++) {
        Category parent = new Category(String.format("C%03d", next++), department + " group " + p, null, department);
        categories.add(parent);
        for (int c = 1; c <= 3; c++) {
          Category leaf = new Category(String.format("C%03d", next++), department + " line " + p + "." + c,
              parent.id(), department);
          categories.add(leaf);
          leafCategories.add(leaf);
        }
      }
    }
    int productCount = (int) Math.max(40, Math.min(20_000, transactions / 50));
    for (int i = 1; i <= productCount; i++) {
      // About 3% of products point at a category that does not exist: kept and flagged downstream.
      String categoryId = random.nextInt(100) < 3 ? "C999"
          : leafCategories.get(random.nextInt(leafCategories.size())).id();
      long price = 199 + random.nextInt(49_800);
      long cost = price * (40 + random.nextInt(45)) / 100;
      products.add(new Product(String.format("P%05d", i), String.format("SKU-%06d", i * 7),
          BRANDS[i % BRANDS.length] + " item " + i, categoryId, BRANDS[random.nextInt(BRANDS.length)], price, cost,
          random.nextInt(500), 10 + random.nextInt(40), random.nextInt(100) < 95,
          COLORS[random.nextInt(COLORS.length)], SIZES[random.nextInt(SIZES.length)]));
    }
    int customerCount = (int) Math.max(30, Math.min(1_000_000, transactions / 5));
    for (int i = 1; i <= customerCount; i++) {
      String first = FIRST[random.nextInt(FIRST.length)];
      String last = LAST[random.nextInt(LAST.length)];
      String[] country = COUNTRIES[random.nextInt(COUNTRIES.length)];
      customers.add(new Customer(String.format("C%07d", i),
          (first + "." + last + i + "@example.com").toLowerCase(java.util.Locale.ROOT), first + " " + last,
          country[0], country[1]));
    }
  }
}
