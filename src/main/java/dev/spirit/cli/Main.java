package dev.spirit.cli;

public final class Main {
  public static void main(String[] args) {
    System.err.println("spirit");
  }
}
