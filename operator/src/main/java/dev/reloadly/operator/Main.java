package dev.reloadly.operator;

public class Main {
  public static void main(String[] args) {}
}
